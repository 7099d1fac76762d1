namespace Gateway.Routing.Rules;

public enum StickyKeyKind
{
    Header,
    Cookie,
    Query,
    ClientIp,
}
