using System.Net.Sockets;
using Appliance.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Appliance.Node.ControlSocket;

/// <summary>
/// The control socket when <c>control.socket</c> is empty: at the first candidate (see
/// <see cref="Appliance.Control.Contract.ControlSocketLocation"/>) this process can make it in. A
/// place it may not create or write, such as /run/appliance for a user without root, is passed
/// over with a log line, so `make run` works for anyone; a live daemon at a candidate is not.
/// </summary>
internal static partial class DefaultControlSocket
{
    public static ControlServer Open(IReadOnlyList<string> candidates, ControlCommands commands, ILogger logger)
    {
        var passedOver = new List<string>();
        foreach (var candidate in candidates)
        {
            if (UnixListener.IsAnswered(candidate))
            {
                // appliancectl would find that daemon first: a second one elsewhere could not be reached.
                throw new IOException($"another daemon answers on the control socket {candidate}");
            }
            string reason;
            try
            {
                return new ControlServer(candidate, commands, logger);
            }
            catch (UnauthorizedAccessException)
            {
                reason = "permission denied";
            }
            catch (SocketException ex)
            {
                reason = ex.Message;
            }
            catch (IOException ex)
            {
                reason = ex.Message;
            }
            catch (ArgumentOutOfRangeException)
            {
                reason = "the path is too long for a Unix socket";
            }
            PassedOver(logger, candidate, reason);
            passedOver.Add($"{candidate}: {reason}");
        }
        throw new IOException($"no place for the control socket ({string.Join("; ", passedOver)}); set control.socket to a path this user may create, or \"off\"");
    }

    [LoggerMessage(EventId = 530, Level = LogLevel.Information, Message = "control socket: cannot use {Path} ({Reason}); trying the next place")]
    private static partial void PassedOver(ILogger logger, string path, string reason);
}
