using System.Text.Json.Serialization;

namespace GpControl;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    IgnoreReadOnlyProperties = false)]
[JsonSerializable(typeof(EmptyParameters))]
[JsonSerializable(typeof(StatusReply))]
[JsonSerializable(typeof(VpnStatus))]
[JsonSerializable(typeof(ConnectParameters))]
[JsonSerializable(typeof(SubmitInputParameters))]
[JsonSerializable(typeof(DisconnectParameters))]
[JsonSerializable(typeof(DisconnectReply))]
[JsonSerializable(typeof(AlreadyConnectedError))]
[JsonSerializable(typeof(MessageError))]
[JsonSerializable(typeof(PermissionDeniedError))]
[JsonSerializable(typeof(InvalidParameterError))]
[JsonSerializable(typeof(MethodNotFoundError))]
[JsonSerializable(typeof(InterfaceNotFoundError))]
[JsonSerializable(typeof(NoSuchPromptError))]
[JsonSerializable(typeof(InvalidInputError))]
[JsonSerializable(typeof(ServiceInfo))]
[JsonSerializable(typeof(InterfaceDescriptionParameters))]
[JsonSerializable(typeof(InterfaceDescription))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
