using System.Net;
using System.Text;

namespace GlobalProtect.Tests.Support;

/// <summary>An HttpMessageHandler that answers from a function and records every request.</summary>
internal sealed class InMemoryHandler(Func<RecordedRequest, CancellationToken, Task<FakeResponse>> respond, List<RecordedRequest> log)
    : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var body = request.Content is null ? string.Empty : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(
            request.Method.Method,
            uri.Host,
            uri.Port,
            uri.AbsolutePath,
            uri.Query.TrimStart('?'),
            request.Content?.Headers.ContentType?.ToString(),
            request.Headers.TryGetValues("User-Agent", out var agents) ? string.Join(" ", agents) : null,
            request.Headers.TryGetValues("Cookie", out var cookies) ? string.Join("; ", cookies) : null,
            body);
        lock (log)
        {
            log.Add(recorded);
        }

        var answer = await respond(recorded, cancellationToken);
        var response = new HttpResponseMessage((HttpStatusCode)answer.Status)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(answer.Body)),
        };
        response.Content.Headers.TryAddWithoutValidation("Content-Type", answer.ContentType);
        foreach (var cookie in answer.SetCookies)
        {
            response.Headers.TryAddWithoutValidation("Set-Cookie", cookie);
        }

        return response;
    }
}
