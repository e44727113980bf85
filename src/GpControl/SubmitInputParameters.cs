namespace GpControl;

public sealed record SubmitInputParameters(string Id, string Value)
{
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        builder.Append("Id = ").Append(Id).Append(", Value = ***");
        return true;
    }
}
