namespace Appliance.Benchmarks.Gates;

/// <summary>
/// Marks a benchmark (or every benchmark of a class) whose code must not allocate in steady state:
/// the run fails when its measured allocation per operation is above zero, so the claim in a
/// benchmark's comment is checked rather than read.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class ZeroAllocationAttribute : Attribute;
