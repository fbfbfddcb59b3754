using System.Runtime.CompilerServices;

// The response writer's tests inject a fixed Date through an internal overload.
[assembly: InternalsVisibleTo("Appliance.Protocols.Tests")]
