using Xunit.Abstractions;
using Xunit.Sdk;

namespace Appliance.EndToEnd.Tests.Browser;

/// <summary>
/// A test that plays a stream in headless Chromium. Skipped, with the reason, where Chromium or the
/// browser test modules are missing; skipped at run time when it throws
/// <see cref="BrowserTestSkippedException"/> (a route the daemon does not serve yet).
/// </summary>
[XunitTestCaseDiscoverer("Appliance.EndToEnd.Tests.Browser.BrowserFactDiscoverer", "Appliance.EndToEnd.Tests")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserFactAttribute : FactAttribute
{
    public BrowserFactAttribute()
    {
        Skip = BrowserPlayer.MissingPrerequisite();
    }
}

/// <summary>A theory that plays streams in headless Chromium; skipped, with the reason, where Chromium or the modules are missing.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    public BrowserTheoryAttribute()
    {
        Skip = BrowserPlayer.MissingPrerequisite();
    }
}

/// <summary>Thrown by a browser test to be reported as skipped rather than failed.</summary>
public sealed class BrowserTestSkippedException(string reason) : Exception(reason);

public sealed class BrowserFactDiscoverer(IMessageSink diagnosticMessageSink) : FactDiscoverer(diagnosticMessageSink)
{
    protected override IXunitTestCase CreateTestCase(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo factAttribute)
        => new BrowserTestCase(DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(), testMethod);
}

/// <summary>Runs like a fact, but reports a <see cref="BrowserTestSkippedException"/> as a skip.</summary>
public sealed class BrowserTestCase : XunitTestCase
{
    [Obsolete("for the xunit deserializer only", error: true)]
    public BrowserTestCase()
    {
    }

    public BrowserTestCase(IMessageSink diagnosticMessageSink, TestMethodDisplay display, TestMethodDisplayOptions displayOptions, ITestMethod testMethod)
        : base(diagnosticMessageSink, display, displayOptions, testMethod)
    {
    }

    public override async Task<RunSummary> RunAsync(IMessageSink diagnosticMessageSink, IMessageBus messageBus, object[] constructorArguments, ExceptionAggregator aggregator, CancellationTokenSource cancellationTokenSource)
    {
        var bus = new SkippingMessageBus(messageBus);
        var summary = await base.RunAsync(diagnosticMessageSink, bus, constructorArguments, aggregator, cancellationTokenSource);
        summary.Failed -= bus.Skipped;
        summary.Skipped += bus.Skipped;
        return summary;
    }

    private sealed class SkippingMessageBus(IMessageBus inner) : IMessageBus
    {
        private static readonly string SkipType = typeof(BrowserTestSkippedException).FullName!;

        public int Skipped { get; private set; }

        public bool QueueMessage(IMessageSinkMessage message)
        {
            if (message is ITestFailed failed && failed.ExceptionTypes.FirstOrDefault() == SkipType)
            {
                Skipped++;
                return inner.QueueMessage(new TestSkipped(failed.Test, failed.Messages.FirstOrDefault() ?? "skipped"));
            }
            return inner.QueueMessage(message);
        }

        public void Dispose()
        {
        }
    }
}
