namespace Appliance.Benchmarks.Gates;

/// <summary>
/// Marks a benchmark whose allocation per operation must not grow with a parameter (the number of
/// viewers): what a frame costs to publish may allocate, what each viewer costs must not. The run
/// fails when a larger value of the parameter allocated more per operation than the smallest.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class AllocationIndependentOfAttribute(string parameter) : Attribute
{
    public string Parameter { get; } = parameter;
}
