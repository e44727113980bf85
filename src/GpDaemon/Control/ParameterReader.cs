using System.Text.Json;
using GpControl;
using GpText;

namespace GpDaemon.Control;

/// <summary>Reads call parameters with precise errors: a wrong or missing parameter names itself. Unknown fields are ignored.</summary>
internal static class ParameterReader
{
    /// <summary>
    /// A string parameter, or null when absent. Wrong types, strings that are not valid Unicode, and strings over the
    /// parameter's bound are an <see cref="InvalidParameterException"/> naming it: one client must not be able to make
    /// every later status reply oversized.
    /// </summary>
    public static string? OptionalString(JsonElement parameters, string name, int maxLength)
    {
        if (!parameters.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new InvalidParameterException(name);
        }
        string? text;
        try
        {
            text = value.GetString();
        }
        catch (InvalidOperationException)
        {
            throw new InvalidParameterException(name); // a lone surrogate escape: not text
        }
        return text is { Length: var length } && length > maxLength ? throw new InvalidParameterException(name) : text;
    }

    /// <summary>A boolean parameter, or null when absent; any other type is an <see cref="InvalidParameterException"/>.</summary>
    public static bool? OptionalBool(JsonElement parameters, string name) =>
        !parameters.TryGetProperty(name, out JsonElement value) ? null : value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidParameterException(name),
        };

    /// <summary>
    /// <see cref="OptionalString"/> for text that is shown to every status reader and logged (portal, user, gateway):
    /// line breaks, control and invisible formatting characters are refused, naming the parameter.
    /// </summary>
    public static string? OptionalText(JsonElement parameters, string name, int maxLength)
    {
        string? text = OptionalString(parameters, name, maxLength);
        return text is not null && !UntrustedText.IsClean(text) ? throw new InvalidParameterException(name) : text;
    }

    public static string RequiredString(JsonElement parameters, string name, int maxLength) =>
        OptionalString(parameters, name, maxLength) ?? throw new InvalidParameterException(name);
}
