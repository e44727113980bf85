namespace GlobalProtect.Tests.Support;

internal static class FormCodec
{
    public static IReadOnlyList<KeyValuePair<string, string>> Decode(string text) =>
        string.IsNullOrEmpty(text)
            ? []
            : text.Split('&')
                .Select(pair => pair.Split('=', 2))
                .Select(parts => KeyValuePair.Create(
                    Uri.UnescapeDataString(parts[0]),
                    parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : string.Empty))
                .ToList();
}
