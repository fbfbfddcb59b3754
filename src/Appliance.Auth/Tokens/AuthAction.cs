namespace Appliance.Auth.Tokens;

/// <summary>What a request wants to do with a stream; each has its own rule.</summary>
public enum AuthAction : byte
{
    Play,
    Publish,
}
