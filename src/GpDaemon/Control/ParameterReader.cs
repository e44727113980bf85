using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using GpControl;
using GpText;

namespace GpDaemon.Control;

/// <summary>
/// Reads call parameters into the contract's records (the same ones gpctl writes, through the same
/// <see cref="ControlJsonContext"/>), with precise errors: a wrong or missing parameter names itself. Unknown fields
/// are ignored. The checks take the record's member by <c>nameof</c>, so that renaming a field breaks the build.
/// </summary>
internal static class ParameterReader
{
    private static readonly JsonNamingPolicy Naming = ControlJsonContext.Default.Options.PropertyNamingPolicy!;

    /// <summary>
    /// The parameters as <typeparamref name="T"/>. A field of the wrong type, or a string that is not valid Unicode, is
    /// an <see cref="InvalidParameterException"/> naming it.
    /// </summary>
    public static T Read<T>(JsonElement parameters, JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return parameters.Deserialize(type) ?? throw new InvalidParameterException("parameters");
        }
        catch (JsonException ex)
        {
            throw new InvalidParameterException(NameAt(ex.Path));
        }
    }

    /// <summary>
    /// A string parameter as read, or null when absent. One over the parameter's bound is an
    /// <see cref="InvalidParameterException"/> naming it: one client must not be able to make every later status reply
    /// oversized.
    /// </summary>
    /// <param name="member">The record's member, by <c>nameof</c>.</param>
    public static string? Optional(string? value, string member, int maxLength) =>
        value is { Length: var length } && length > maxLength ? throw Invalid(member) : value;

    /// <summary>
    /// <see cref="Optional"/> for text that is shown to every status reader and logged (portal, user, gateway): line
    /// breaks, control and invisible formatting characters are refused, naming the parameter.
    /// </summary>
    public static string? OptionalText(string? value, string member, int maxLength) =>
        Optional(value, member, maxLength) is { } text && !UntrustedText.IsClean(text) ? throw Invalid(member) : value;

    /// <summary><see cref="Optional"/>, with absent (or null) an <see cref="InvalidParameterException"/> too.</summary>
    public static string Required(string? value, string member, int maxLength) =>
        Optional(value, member, maxLength) ?? throw Invalid(member);

    /// <summary>The error for a parameter, named as on the wire.</summary>
    public static InvalidParameterException Invalid(string member) => new(Naming.ConvertName(member));

    /// <summary>"portal" of the serializer's "$.portal".</summary>
    private static string NameAt(string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return "parameters";
        }
        string name = path[2..];
        int end = name.IndexOfAny(['.', '[']);
        return end < 0 ? name : name[..end];
    }
}
