namespace Appliance.Auth.Schemes;

/// <summary>The primary and backup key of an MD5 scheme; both are accepted so keys rotate without downtime.</summary>
internal readonly struct Md5Keys
{
    public Md5Keys(string key, string? backupKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        Primary = key;
        Backup = string.IsNullOrEmpty(backupKey) ? null : backupKey;
    }

    public string Primary { get; }

    public string? Backup { get; }
}
