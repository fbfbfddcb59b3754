using Appliance.Auth.Signing;

namespace Appliance.Ctl;

/// <summary><c>appliancectl sign</c>: a signed URL on stdout, made here from the app's key; no daemon is asked.</summary>
internal static class SignCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, long now)
    {
        var options = SignOptions.Parse(args, now, File.ReadAllText);
        if (options.Help)
        {
            await output.WriteLineAsync(SignOptions.Usage).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        if (options.Error is not null)
        {
            await error.WriteLineAsync($"appliancectl sign: {options.Error}\n\n{SignOptions.Usage}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        try
        {
            await output.WriteLineAsync(UrlSigner.Sign(options.Request!)).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        catch (SigningException ex)
        {
            await error.WriteLineAsync($"appliancectl sign: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }
}
