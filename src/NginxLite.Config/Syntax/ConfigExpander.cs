using NginxLite.Config.Validation;

namespace NginxLite.Config.Syntax;

/// <summary>
/// Walks parsed files in nginx's processing order: expands <c>include</c> in place, numbers directives
/// (pre-order; a block's end after its children), records every file read, and turns what stopped each body
/// into nginx's ngx_conf_parse messages. Reading stops at the first syntax error, in any file.
/// </summary>
internal sealed class ConfigExpander
{
    /// <summary>nginx has no guard (it fails when it runs out of file descriptors); we stop at this depth.</summary>
    public const int MaxIncludeDepth = 64;

    /// <summary>nginx's name for the <c>-g</c> text in messages.</summary>
    public const string CommandLine = "command line";

    private readonly DiagnosticBag _diagnostics;
    private readonly string _configDirectory;
    private readonly List<ConfigFile> _files = [];
    private readonly HashSet<string> _seenFiles = new(StringComparer.Ordinal);
    private readonly bool _expandIncludes;
    private int _nextOrdinal = 1;

    // One word cache per encoding for the whole load: allocating one per file cost more than it saved on many small includes.
    private WordCache? _utf8Words;
    private WordCache? _latin1Words;

    /// <summary>In-memory files by absolute path (<see cref="LoadOptions.VirtualFiles"/>).</summary>
    public IReadOnlyDictionary<string, byte[]>? VirtualFiles { get; init; }

    public ConfigExpander(DiagnosticBag diagnostics, string configDirectory, bool expandIncludes)
    {
        _expandIncludes = expandIncludes;
        _diagnostics = diagnostics;
        _configDirectory = configDirectory;
    }

    public Diagnostic? SyntaxError { get; private set; }

    /// <summary>Every file read, in read order, each once (nginx's <c>-T</c> dump keeps one copy per name).</summary>
    public IReadOnlyList<ConfigFile> Files => _files;

    public int NextOrdinal() => _nextOrdinal++;

    public void StopWith(string message, SourcePosition? position) =>
        SyntaxError = Diagnostic.Emerg(message, position, NextOrdinal());

    /// <summary>Parse and expand the <c>-g</c> text: no file, no line, and no blocks allowed.</summary>
    public void AddCommandLine(string text, List<ConfigDirective> into)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        var body = NginxGrammar.ParseFile(ConfigLexer.Tokenize(bytes, System.Text.Encoding.UTF8, commandLine: true));
        ExpandBody(body, CommandLine, null, depth: 0, fileLevel: true, commandLine: true, into);
    }

    /// <summary>Read, parse and expand one file into <paramref name="into"/>.</summary>
    public void AddFile(string path, byte[] content, SourcePosition? includedFrom, int depth, List<ConfigDirective> into)
    {
        if (_seenFiles.Add(path))
        {
            _files.Add(new ConfigFile(path, content));
        }

        var encoding = ConfigSource.EncodingOf(content);
        var words = ReferenceEquals(encoding, System.Text.Encoding.UTF8) ? _utf8Words ??= new() : _latin1Words ??= new();
        var body = NginxGrammar.ParseFile(ConfigLexer.Tokenize(content, encoding, commandLine: false, words));
        ExpandBody(body, path, includedFrom, depth, fileLevel: true, commandLine: false, into);
    }

    private void ExpandBody(SyntaxBody body, string file, SourcePosition? includedFrom, int depth, bool fileLevel, bool commandLine, List<ConfigDirective> into)
    {
        foreach (var node in body.Children)
        {
            if (SyntaxError is not null)
            {
                return;
            }

            var statement = node.Statement;
            var name = statement.Name!;
            var position = commandLine ? new SourcePosition(CommandLine, 0) : new SourcePosition(file, statement.Line);

            if (commandLine && node.Body is not null)
            {
                StopWith("block directives are not supported in -g option", position);
                return;
            }

            if (_expandIncludes && node.Body is null && name.Value == "include" && statement.Arguments.Length == 1)
            {
                var reportAt = commandLine ? position : new SourcePosition(file, statement.EndLine);
                ExpandInclude(statement.Arguments[0].Value, position, reportAt, depth, into);
                continue;
            }

            int ordinal = NextOrdinal();
            List<ConfigDirective>? children = null;
            int endOrdinal = ordinal;
            int endLine = 0;
            if (node.Body is { } block)
            {
                children = new List<ConfigDirective>(block.Children.Count);
                ExpandBody(block, file, includedFrom, depth, fileLevel: false, commandLine, children);
                endOrdinal = NextOrdinal();
                endLine = block.Stop.Kind == SyntaxTokenKind.BlockEnd ? block.Stop.Line : 0;
            }

            into.Add(new ConfigDirective(name.Value, statement.Arguments, children, position, ordinal, endOrdinal)
            {
                EndLine = endLine,
                IncludedFrom = includedFrom,
                RawName = name.Raw,
                TerminatorLine = commandLine ? 0 : statement.EndLine,
            });
        }

        if (SyntaxError is not null)
        {
            return;
        }

        var stop = body.Stop;
        SourcePosition At(int line) => commandLine ? new SourcePosition(CommandLine, 0) : new SourcePosition(file, line);
        switch (stop.Kind)
        {
            case SyntaxTokenKind.Error:
                StopWith(stop.Message!, At(stop.Line));
                break;
            case SyntaxTokenKind.End when !fileLevel:
                StopWith("unexpected end of file, expecting \"}\"", At(stop.Line));
                break;
            case SyntaxTokenKind.BlockEnd when fileLevel:
                StopWith("unexpected \"}\"", At(stop.Line));
                break;
        }
    }

    /// <summary>nginx reports an include's errors at the line of its <c>;</c> (<paramref name="reportAt"/>).</summary>
    private void ExpandInclude(string argument, SourcePosition includePosition, SourcePosition reportAt, int depth, List<ConfigDirective> into)
    {
        int ordinal = NextOrdinal();
        string path = Path.IsPathRooted(argument) ? argument : Path.Join(_configDirectory, argument);

        if (depth >= MaxIncludeDepth)
        {
            _diagnostics.Emerg($"include nesting deeper than {MaxIncludeDepth} levels at \"{path}\", probably an include loop", reportAt, ordinal);
            return;
        }

        IEnumerable<string> paths = IncludeGlob.IsPattern(path) ? IncludeGlob.Expand(path) : [path];
        foreach (string file in paths)
        {
            var content = ConfigSource.TryRead(file, out string? error, VirtualFiles);
            if (content is null)
            {
                _diagnostics.Emerg(error!, reportAt, ordinal);
                continue;
            }

            AddFile(file, content, includePosition, depth + 1, into);
            if (SyntaxError is not null)
            {
                return;
            }
        }
    }
}
