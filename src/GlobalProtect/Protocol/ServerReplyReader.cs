namespace GlobalProtect.Protocol;

/// <summary>
/// Classifies the answer to a portal getconfig or gateway login (docs/globalprotect-protocol.md sections 2-3): a
/// document, a challenge in either form, a refusal, or "does not exist". Anything else is a protocol error.
/// </summary>
internal static class ServerReplyReader
{
    /// <param name="statusCode">The HTTP status.</param>
    /// <param name="body">The response body.</param>
    /// <param name="source">The step, for messages ("portal getconfig").</param>
    /// <param name="expected">The document the step expects on success ("&lt;policy&gt;").</param>
    /// <param name="server">Who answered, for messages about HTTP failures.</param>
    public static ServerReply Read(int statusCode, string body, string source, string expected, string server = "the server")
    {
        ArgumentNullException.ThrowIfNull(body);
        switch (statusCode)
        {
            case 512:
                return new ServerReply.Refused(RefusalText(body) ?? "invalid username or password");
            case 513:
                return new ServerReply.Refused("a valid client certificate is required");
            case >= 500:
                throw new PortalException($"{source}: {server} answered HTTP {statusCode}");
            case not 200:
                throw new PortalException($"{source}: {server} answered HTTP {statusCode} where {expected} was expected");
        }

        if (string.IsNullOrWhiteSpace(body))
        {
            throw new GlobalProtectException($"{source}: empty response where {expected} was expected");
        }

        if (ChallengeScriptParser.Looks(body))
        {
            return ChallengeScriptParser.TryParse(body) ?? throw new GlobalProtectException(
                $"{source}: unreadable challenge (expected respStatus, respMsg and thisForm.inputStr.value)");
        }

        var root = GpXml.ParseRoot(body, source, expected);
        if (GpXml.Is(root, "response") &&
            string.Equals(GpXml.Attribute(root, "status"), "error", StringComparison.OrdinalIgnoreCase))
        {
            return Error(GpXml.DisplayText(root, "error") ?? GpXml.DisplayText(root, "msg"));
        }

        if (GpXml.Is(root, "prelogin-response"))
        {
            var status = GpXml.Text(root, "status");
            if (status is not null && !status.Equals("Success", StringComparison.OrdinalIgnoreCase))
            {
                return Error(GpXml.DisplayText(root, "msg"));
            }
        }

        if (GpXml.Is(root, "challenge"))
        {
            var inputStr = GpXml.Text(root, "inputstr") ?? throw new GlobalProtectException(
                $"{source}: <challenge> without <inputstr>");
            return new ServerReply.Challenge(GpXml.DisplayText(root, "respmsg") ?? "Challenge", inputStr);
        }

        return new ServerReply.Document(root);
    }

    private const int MaxRefusalLength = 200;

    /// <summary>
    /// The server's own words with an HTTP 512: an error document, or one short line of plain text. Anything else
    /// (an HTML page, a long body) says nothing a user should read; null then.
    /// </summary>
    private static string? RefusalText(string body)
    {
        var text = body.Trim();
        if (text.Length == 0)
        {
            return null;
        }

        if (text.StartsWith('<'))
        {
            try
            {
                var root = GpXml.ParseRoot(text, "refusal", "<response>");
                return GpXml.Is(root, "response") ? Bounded(GpXml.Text(root, "error") ?? GpXml.Text(root, "msg")) : null;
            }
            catch (GlobalProtectException)
            {
                return null;
            }
        }

        return text.Contains('\n', StringComparison.Ordinal) || text.Contains('<', StringComparison.Ordinal) ? null : Bounded(text);
    }

    private static string? Bounded(string? text) =>
        text is null || text.Length > MaxRefusalLength || text.Any(char.IsControl) ? null : text;

    private static ServerReply Error(string? message)
    {
        var text = message ?? "the server reported an error without a message";
        var kind = PreloginParser.Classify(text);
        return kind == PreloginStatus.Error ? new ServerReply.Refused(text) : new ServerReply.NotFound(text, kind);
    }
}
