using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/Appliance.Benchmarks -- --filter '*'` runs everything;
// `--list flat` names every benchmark, `--job short` trades precision for a quick pass.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
