using System.Runtime.CompilerServices;

// Unit tests reach internals (frame log cursors, parsers, session state) directly.
[assembly: InternalsVisibleTo("Appliance.Relay.Tests")]
[assembly: InternalsVisibleTo("Appliance.Node.Tests")]
[assembly: InternalsVisibleTo("Appliance.Benchmarks")]
