using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Appliance.Node.Webhooks;

namespace Appliance.Node.Tests.Webhooks;

/// <summary>
/// A backend in the test: records every attempt (event, body, signature) in arrival order and
/// answers as <see cref="Answer"/> says; an answer may wait on a gate, like a backend that hangs.
/// </summary>
internal sealed class ScriptedTransport : IWebhookTransport
{
    private readonly ConcurrentQueue<Attempt> _attempts = new();

    /// <summary>The answer to one attempt, given its parsed body; 200 unless set.</summary>
    public Func<Attempt, Task<WebhookAnswer>> Answer { get; set; } = _ => Task.FromResult(new WebhookAnswer(200));

    public IReadOnlyList<Attempt> Attempts => [.. _attempts];

    public async Task<WebhookAnswer> PostAsync(string eventName, byte[] body, string? signature, CancellationToken cancellationToken)
    {
        var attempt = new Attempt(eventName, body, signature);
        _attempts.Enqueue(attempt);
        return await Answer(attempt).WaitAsync(cancellationToken);
    }

    internal sealed record Attempt(string Event, byte[] Body, string? Signature)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;

        public string Stream => Json.GetProperty("stream").GetString()!;

        public override string ToString() => Encoding.UTF8.GetString(Body);
    }
}
