using System.Text;
using GpControl;

namespace GpCtl;

/// <summary>Where answers to the daemon's prompts come from: the terminal (no echo for secrets) or stdin lines.</summary>
internal abstract class PromptAnswerer
{
    /// <summary>The answer, or null when there is none (end of input).</summary>
    public abstract string? Answer(Prompt prompt);

    /// <summary>
    /// Lines of standard input: the first was the password; each further prompt takes the next line.
    /// <paramref name="first"/>: a line already read that the first prompt takes (joining an attempt under way,
    /// which has no use for a password of its own).
    /// </summary>
    public sealed class Lines(TextReader input, string? first = null) : PromptAnswerer
    {
        private string? _first = first;

        public override string? Answer(Prompt prompt)
        {
            string? line = _first ?? input.ReadLine();
            _first = null;
            return line;
        }
    }

    public sealed class Terminal : PromptAnswerer
    {
        public override string? Answer(Prompt prompt)
        {
            string label = prompt.Message.TrimEnd();
            Console.Error.Write(label.EndsWith(':') ? label + " " : label + ": ");
            if (!prompt.Secret)
            {
                return Console.ReadLine();
            }
            var value = new StringBuilder();
            while (true)
            {
                ConsoleKeyInfo key = Console.ReadKey(intercept: true);
                switch (key.Key)
                {
                    case ConsoleKey.Enter:
                        Console.Error.WriteLine();
                        return value.ToString();
                    case ConsoleKey.Backspace:
                        if (value.Length > 0)
                        {
                            value.Length--;
                        }
                        break;
                    default:
                        if (key.KeyChar == '\u0004' && value.Length == 0)
                        {
                            Console.Error.WriteLine();
                            return null; // Ctrl-D
                        }
                        if (!char.IsControl(key.KeyChar))
                        {
                            value.Append(key.KeyChar);
                        }
                        break;
                }
            }
        }
    }
}
