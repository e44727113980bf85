namespace GlobalProtect.Client;

internal readonly record struct HttpReply(int StatusCode, string Body);
