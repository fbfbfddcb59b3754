using Appliance.Control.Contract;

namespace Appliance.Node.Admin;

/// <summary>One response of the command API before it is written: status, reply, one extra header, and whether the connection must end.</summary>
internal readonly record struct AdminAnswer(int Status, ControlReply Reply, KeyValuePair<string, string>? Header = null, bool Close = false);
