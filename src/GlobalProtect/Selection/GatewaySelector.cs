using GlobalProtect.Protocol;

namespace GlobalProtect.Selection;

/// <summary>
/// Chooses the gateway to connect to, as the official client does: the one the user names, else the best
/// priority for the client's region.
/// </summary>
internal static class GatewaySelector
{
    public const string NoGatewaysMessage = "portal returned no gateways";

    /// <summary>
    /// With <paramref name="requested"/>: the gateway whose description or address matches (case-insensitive),
    /// among external and internal gateways. Otherwise, among external gateways (internal ones only when there
    /// are no external ones): the lowest priority-rule priority for <paramref name="region"/>, then for
    /// <c>Any</c>, then the lowest plain priority, then the first in document order.
    /// </summary>
    public static PortalGateway Choose(IReadOnlyList<PortalGateway> gateways, string? requested, string? region)
    {
        ArgumentNullException.ThrowIfNull(gateways);
        if (gateways.Count == 0)
        {
            throw new PortalException(NoGatewaysMessage);
        }

        if (!string.IsNullOrWhiteSpace(requested))
        {
            return FindRequested(gateways, requested.Trim());
        }

        var candidates = gateways.Where(g => !g.Internal).ToList();
        if (candidates.Count == 0)
        {
            candidates = [.. gateways];
        }

        return candidates
            .Select((gateway, index) => (gateway, index))
            .OrderBy(c => c.gateway.RulePriority(region) ?? int.MaxValue)
            .ThenBy(c => c.gateway.RulePriority("Any") ?? int.MaxValue)
            .ThenBy(c => c.gateway.Priority ?? int.MaxValue)
            .ThenBy(c => c.index)
            .First()
            .gateway;
    }

    private static PortalGateway FindRequested(IReadOnlyList<PortalGateway> gateways, string requested)
    {
        var byName = gateways.FirstOrDefault(g =>
            g.Description is not null && g.Description.Equals(requested, StringComparison.OrdinalIgnoreCase));
        if (byName is not null)
        {
            return byName;
        }

        // "gw.example.com", "gw.example.com:443" and "https://gw.example.com/" name the same gateway.
        var requestedAddress = ServerAddress.TryParse(requested);
        var byAddress = gateways.FirstOrDefault(g =>
            g.Address.Equals(requested, StringComparison.OrdinalIgnoreCase) ||
            (requestedAddress is not null && ServerAddress.TryParse(g.Address)?.SameAs(requestedAddress) == true));
        if (byAddress is not null)
        {
            return byAddress;
        }

        var available = string.Join(", ", gateways.Select(g => g.ToInfo(null).DisplayName));
        throw new PortalException($"gateway '{requested}' is not offered; available gateways: {available}");
    }
}
