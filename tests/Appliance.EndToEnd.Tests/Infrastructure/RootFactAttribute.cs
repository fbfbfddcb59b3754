namespace Appliance.EndToEnd.Tests.Infrastructure;

/// <summary>A test that must act as root (another user via runuser, dpkg -i); skipped with the reason elsewhere.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (Environment.UserName != "root")
        {
            Skip = "needs root (runs as " + Environment.UserName + ")";
        }
        else if (!File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser"))
        {
            Skip = "needs runuser (util-linux) to act as another user";
        }
    }
}
