namespace GlobalProtect.Protocol;

internal enum SamlMethod
{
    Unknown,
    Redirect,
    Post,
}
