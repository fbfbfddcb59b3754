namespace Appliance.Fuzz.Tests;
public static class Program { public static int Main(string[] args) => 0; }
