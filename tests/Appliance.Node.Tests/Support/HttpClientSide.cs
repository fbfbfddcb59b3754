using Appliance.Tests.Support;

namespace Appliance.Node.Tests.Support;

/// <summary>An HTTP session under test with the client's end of its connection.</summary>
internal sealed class HttpClientSide
{
    /// <param name="client">The address the server sees the connection from (loopback by default).</param>
    public HttpClientSide(TestServer server, bool admin = false, Appliance.Node.Hosting.INodeAdmin? node = null, System.Net.IPAddress? client = null)
    {
        (Connection, Run) = server.StartHttp(admin, node, client);
        Reader = new HttpReader(Connection.ServerOutput);
    }

    public PipeConnection Connection { get; }

    public Task Run { get; }

    public HttpReader Reader { get; }

    public async Task<HttpResponse> RequestAsync(string method, string target, CancellationToken ct, string extraHeaders = "")
    {
        await Connection.SendAsync($"{method} {target} HTTP/1.1\r\nHost: localhost:8080\r\n{extraHeaders}\r\n");
        return await Reader.ReadResponseAsync(ct, headOnly: method == "HEAD");
    }

    /// <summary>Waits for the server to close the connection; returns any bytes it still sent.</summary>
    public async Task<byte[]> ExpectClosedAsync(CancellationToken ct)
    {
        var rest = await Reader.ReadToEndAsync(ct);
        await Run.WaitAsync(Eventually.Timeout);
        return rest;
    }
}
