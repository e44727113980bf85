namespace GpControl;

/// <summary>Names of the service interface every varlink server implements.</summary>
public static class VarlinkService
{
    public const string Name = "org.varlink.service";
    public const string GetInfo = Name + ".GetInfo";
    public const string GetInterfaceDescription = Name + ".GetInterfaceDescription";
    public const string InterfaceNotFound = Name + ".InterfaceNotFound";
    public const string MethodNotFound = Name + ".MethodNotFound";
    public const string InvalidParameter = Name + ".InvalidParameter";
    public const string ExpectedMore = Name + ".ExpectedMore";

    public const string Description = """
        # The varlink service interface
        interface org.varlink.service

        method GetInfo() -> (vendor: string, product: string, version: string, url: string, interfaces: []string)

        method GetInterfaceDescription(interface: string) -> (description: string)

        error InterfaceNotFound (interface: string)
        error MethodNotFound (method: string)
        error MethodNotImplemented (method: string)
        error InvalidParameter (parameter: string)
        error PermissionDenied ()
        error ExpectedMore ()
        """;
}
