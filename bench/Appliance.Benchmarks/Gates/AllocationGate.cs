using System.Reflection;
using BenchmarkDotNet.Reports;

namespace Appliance.Benchmarks.Gates;

/// <summary>
/// Reads the memory diagnoser's figures of the benchmarks marked [ZeroAllocation] after a run and
/// names every one that allocated.
/// </summary>
public static class AllocationGate
{
    public static IReadOnlyList<string> Violations(IReadOnlyList<Summary> summaries)
    {
        var violations = new List<string>();
        foreach (var report in summaries.SelectMany(s => s.Reports))
        {
            var target = report.BenchmarkCase.Descriptor.WorkloadMethod;
            if (!IsMarked(target))
            {
                continue;
            }
            var name = report.BenchmarkCase.DisplayInfo;
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            if (allocated is null)
            {
                violations.Add($"{name}: no allocation figure (is [MemoryDiagnoser] on the class?)");
            }
            else if (allocated > 0)
            {
                violations.Add($"{name}: {allocated} B allocated per operation, must be 0");
            }
        }
        violations.AddRange(GrowthViolations([.. summaries.SelectMany(s => s.Reports)]));
        return violations;
    }

    // Cases that differ only in the marked parameter are compared with the one at its smallest value.
    private static IEnumerable<string> GrowthViolations(BenchmarkReport[] reports)
    {
        foreach (var report in reports)
        {
            var marker = Marker(report.BenchmarkCase.Descriptor.WorkloadMethod);
            var allocated = report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase);
            if (marker is null || allocated is null)
            {
                continue;
            }
            var others = report.BenchmarkCase.Parameters.Items.Where(p => p.Name != marker.Parameter).Select(p => p.ToString()).ToArray();
            var smallest = reports
                .Where(r => r.BenchmarkCase.Descriptor == report.BenchmarkCase.Descriptor &&
                            r.BenchmarkCase.Parameters.Items.Where(p => p.Name != marker.Parameter).Select(p => p.ToString()).SequenceEqual(others))
                .MinBy(r => Convert.ToDouble(r.BenchmarkCase.Parameters[marker.Parameter], System.Globalization.CultureInfo.InvariantCulture));
            var baseline = smallest?.GcStats.GetBytesAllocatedPerOperation(smallest.BenchmarkCase);
            if (baseline is not null && allocated > baseline)
            {
                yield return $"{report.BenchmarkCase.DisplayInfo}: {allocated} B per operation against {baseline} B at the smallest {marker.Parameter}; must not grow with it";
            }
        }
    }

    private static AllocationIndependentOfAttribute? Marker(MethodInfo method) =>
        method.GetCustomAttribute<AllocationIndependentOfAttribute>() ??
        method.DeclaringType?.GetCustomAttribute<AllocationIndependentOfAttribute>();

    private static bool IsMarked(MethodInfo method) =>
        method.IsDefined(typeof(ZeroAllocationAttribute)) ||
        method.DeclaringType?.IsDefined(typeof(ZeroAllocationAttribute)) == true;
}
