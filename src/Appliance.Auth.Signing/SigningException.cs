namespace Appliance.Auth.Signing;

/// <summary>The request cannot be signed; the message says why, in the words of the command line.</summary>
public sealed class SigningException(string message) : Exception(message);
