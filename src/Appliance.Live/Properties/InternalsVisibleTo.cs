using System.Runtime.CompilerServices;

// Unit tests reach the frame log and subscription cursors directly.
[assembly: InternalsVisibleTo("Appliance.Live.Tests")]
