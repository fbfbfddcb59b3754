using System.Runtime.CompilerServices;

// The connector's tests hand it a resolver of their own (one that never answers, one that knows no name).
[assembly: InternalsVisibleTo("Appliance.Transport.Tests")]
