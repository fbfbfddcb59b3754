using Appliance.Control.Contract;
using Appliance.Relay.Push;

namespace Appliance.Node.ControlSocket;

/// <summary>A push target's state as the control protocol shows it.</summary>
internal static class PushReports
{
    public static PushReport From(PushTargetState state) => new()
    {
        Target = state.Target,
        State = state.State,
        BytesSent = state.BytesSent,
        Sessions = state.Sessions,
        LastError = state.LastError,
    };
}
