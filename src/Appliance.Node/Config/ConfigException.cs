namespace Appliance.Node.Config;

/// <summary>A config that cannot be used; the message names the key path and the problem.</summary>
public sealed class ConfigException(string message) : Exception(message);
