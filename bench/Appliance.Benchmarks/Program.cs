using Appliance.Benchmarks.Gates;
using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Appliance.Benchmarks -- --filter '*'` runs everything;
// `--list flat` names every benchmark, `--job short` trades precision for a quick pass.
// Benchmarks marked [ZeroAllocation] that allocated fail the run (exit code 1).
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
var violations = AllocationGate.Violations([.. summaries]);
foreach (var violation in violations)
{
    Console.Error.WriteLine($"allocation gate: {violation}");
}
return violations.Count == 0 ? 0 : 1;
