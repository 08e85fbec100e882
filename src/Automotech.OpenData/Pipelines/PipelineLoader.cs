using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Automotech.OpenData.Pipelines;

/// <summary>
/// Reads the dataset definitions under <c>pipelines/</c> and checks them whole: every problem is
/// reported at once, each naming its file, so a definition is fixed in one pass.
/// </summary>
public static class PipelineLoader
{
    public const string DefinitionFile = "pipeline.yaml";
    public const string SchemaFile = "schema.json";

    private static readonly IDeserializer Strict = new DeserializerBuilder()
        .WithNamingConvention(UnderscoredNamingConvention.Instance)
        .Build();

    /// <summary>Every dataset folder (one holding pipeline.yaml) under <paramref name="pipelinesDirectory"/>, by id.</summary>
    public static IReadOnlyList<PipelineDefinition> LoadAll(string pipelinesDirectory)
    {
        if (!System.IO.Directory.Exists(pipelinesDirectory))
        {
            throw new PipelineException(
                $"Pipelines folder not found: {Path.GetFullPath(pipelinesDirectory)} (run from the repository root, or set Pipeline:Directory).");
        }

        // Every folder is checked, so one run lists the mistakes of all of them.
        var definitions = new List<PipelineDefinition>();
        var failures = new List<string>();
        var failedIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var directory in System.IO.Directory.EnumerateDirectories(pipelinesDirectory)
            .Where(d => File.Exists(Path.Combine(d, DefinitionFile)))
            .Order(StringComparer.Ordinal))
        {
            try
            {
                definitions.Add(Load(directory));
            }
            catch (PipelineException e)
            {
                failures.Add(e.Message);
                failedIds.Add(Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)));
            }
        }

        // A folder that looks like a dataset but whose definition is misnamed (pipeline.yml, a
        // hidden .txt) or missing would be skipped silently, and its dataset never published.
        foreach (var directory in System.IO.Directory.EnumerateDirectories(pipelinesDirectory)
            .Where(d => !File.Exists(Path.Combine(d, DefinitionFile)))
            .Order(StringComparer.Ordinal))
        {
            var files = System.IO.Directory.EnumerateFiles(directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            var misnamed = files.Where(f => f.StartsWith("pipeline.", StringComparison.OrdinalIgnoreCase)).ToList();
            if (misnamed.Count > 0 || files.Contains(SchemaFile))
            {
                failures.Add($"{directory}: no {DefinitionFile}, but {string.Join(", ", misnamed.Count > 0 ? misnamed : [SchemaFile])} is there: a dataset folder needs its definition named exactly {DefinitionFile}{(misnamed.Count > 0 ? " (rename it)" : "")}.");
            }
        }

        if (definitions.Count == 0 && failures.Count == 0)
        {
            throw new PipelineException($"No {DefinitionFile} found under {Path.GetFullPath(pipelinesDirectory)}.");
        }

        // A derived dataset whose parent failed to load is not checked against it: its errors are the parent's.
        foreach (var derived in definitions.Where(d => d.IsDerived && !failedIds.Contains(d.Source.From ?? "")))
        {
            var parent = definitions.Find(p => p.Id == derived.Source.From && !p.IsDerived);
            var errors = parent is null
                ? [$"source.from: no pipeline '{derived.Source.From}' to derive from (known: {string.Join(", ", definitions.Where(p => !p.IsDerived).Select(p => p.Id).Concat(failedIds).Order(StringComparer.Ordinal))})."]
                : Aggregation.AggregateChecks.AgainstParent(derived, parent);
            if (errors.Count > 0)
            {
                failures.Add(Problems(Path.Combine(derived.Directory, DefinitionFile), [.. errors]).Message);
            }
        }

        // The home page shows every key figure read from a column (an aggregate's), each at
        // #chiffre-<id>: one id in two datasets would name two elements of that page, and a link
        // to the figure would find the first. Counted figures are on their own dataset's page only.
        foreach (var clash in definitions
            .SelectMany(d => d.Metadata.KeyFigures.Where(k => k.Column is not null).Select(k => (Figure: k.Id, Dataset: d.Id)))
            .GroupBy(f => f.Figure, StringComparer.Ordinal)
            .Where(g => g.Select(f => f.Dataset).Distinct(StringComparer.Ordinal).Count() > 1)
            .OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var datasets = clash.Select(f => f.Dataset).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            failures.Add($"{pipelinesDirectory}: metadata.key_figures: id '{clash.Key}' is read from a column by {string.Join(", ", datasets[..^1])} and {datasets[^1]}: "
                + $"the home page shows each such figure at #chiffre-{clash.Key}, so one id would name two figures there; give each its own id.");
        }

        if (failures.Count > 0)
        {
            throw new PipelineException(string.Join(Environment.NewLine, failures));
        }

        return definitions;
    }

    public static PipelineDefinition Load(string directory)
    {
        var yamlPath = Path.Combine(directory, DefinitionFile);
        var schemaPath = Path.Combine(directory, SchemaFile);
        // The two files are read apart, so the mistakes of one never hide those of the other.
        var (schemaJson, schema, schemaProblems) = ReadSchema(schemaPath);
        var problems = new List<string>();
        PipelineDefinition? definition;
        YamlShapeCheck shape;
        try
        {
            (definition, shape) = ReadDefinition(yamlPath, problems);
        }
        catch (PipelineException e) when (schemaProblems is not null)
        {
            throw new PipelineException(e.Message + Environment.NewLine + schemaProblems, e);
        }

        if (definition is null)
        {
            throw Failure(Problems(yamlPath, problems), schemaProblems);
        }

        definition.Directory = directory;
        definition.SchemaJson = schemaJson;
        definition.Schema = schema.Schema;
        var folderId = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        if (string.IsNullOrEmpty(definition.Id))
        {
            definition.Id = folderId;
        }

        // The checks of the rest run on what was read; those reading a key that was not are skipped,
        // and those naming published fields too when a field of schema.json had no readable name
        // (each says "of schema.json"): they would only echo that mistake.
        problems.AddRange(PipelineChecks.Check(definition, folderId, shape)
            .Where(e => !shape.Covers(e) && (schema.NamesKnown || !e.Contains($"of {SchemaFile}", StringComparison.Ordinal))));
        if (problems.Count > 0 || schemaProblems is not null)
        {
            throw Failure(problems.Count > 0 ? Problems(yamlPath, problems) : null, schemaProblems);
        }

        return definition;
    }

    /// <summary>schema.json as written (it is published so), what was read of it, and its mistakes in one message (null when none).</summary>
    private static (string Text, SchemaJsonRead Read, string? Problems) ReadSchema(string path)
    {
        if (!File.Exists(path))
        {
            return ("", new SchemaJsonRead(new TableSchema(), [], NamesKnown: false), $"{path}: file not found (every pipeline needs its Table Schema).");
        }

        var read = SchemaJsonReader.Read(File.ReadAllBytes(path));
        return (File.ReadAllText(path), read, read.Problems.Count > 0 ? Problems(path, [.. read.Problems], "in the Table Schema").Message : null);
    }

    /// <summary>The mistakes of both files, one after the other.</summary>
    private static PipelineException Failure(PipelineException? definition, string? schema) =>
        new(string.Join(Environment.NewLine, new[] { definition?.Message, schema }.OfType<string>()));

    /// <summary>
    /// pipeline.yaml read whole: its unknown keys and values of the wrong type go to
    /// <paramref name="problems"/>, each with its line and column, and the rest is deserialized
    /// with those keys at their defaults. A syntax error stops the reading: it is thrown alone.
    /// </summary>
    private static (PipelineDefinition? Definition, YamlShapeCheck Shape) ReadDefinition(string path, List<string> problems)
    {
        if (!File.Exists(path))
        {
            throw new PipelineException($"{path}: file not found.");
        }

        var text = File.ReadAllText(path);
        YamlShapeCheck shape;
        try
        {
            shape = YamlShapeCheck.Of(text, typeof(PipelineDefinition), Strict, Sources.SourceKeys.Scopes)
                ?? throw new PipelineException($"{path}: the file is empty.");
        }
        catch (YamlException e)
        {
            throw Stopped(path, text, e);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails so on some broken files (': [' opening a line) read this
            // way; its deserializer says where.
            try
            {
                _ = Strict.Deserialize<PipelineDefinition>(text);
            }
            catch (YamlException e)
            {
                throw Stopped(path, text, e);
            }

            throw;
        }

        problems.AddRange(shape.Mistakes.Select(m => $"line {m.Line}, column {m.Column}: {m.Message}"));
        if (!shape.Readable)
        {
            // A list or a value where the keys should be: the deserializer would only name .NET types.
            return (null, shape);
        }

        try
        {
            return (Strict.Deserialize<PipelineDefinition>(shape.WithoutMistakes(text)), shape);
        }
        catch (YamlException e) when (problems.Count > 0)
        {
            // Something the first pass let through: reported with its mistakes, but nothing more can be checked.
            var reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0].Trim();
            problems.Add($"line {e.Start.Line}, column {e.Start.Column}: {Plain(reason, e.InnerException)}");
            return (null, shape);
        }
        catch (YamlException e)
        {
            var reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0].Trim();
            throw new PipelineException($"{path}, line {e.Start.Line}, column {e.Start.Column}: {Plain(reason, e.InnerException)}", e);
        }
    }

    /// <summary>A mistake past which YAML cannot read on (bad indentation, an unclosed quote, a key given twice): it comes alone.</summary>
    private static PipelineException Stopped(string path, string text, YamlException e)
    {
        // The old reader kept the last of two equal keys without a word; which one was meant is the operator's call.
        var reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0].Trim();
        var (line, column) = (e.Start.Line, e.Start.Column);
        if (reason.StartsWith("Duplicate key ", StringComparison.Ordinal))
        {
            reason = $"key '{reason["Duplicate key ".Length..]}' is given twice in this section: keep one";
        }
        else if (reason.Contains("found invalid tab", StringComparison.Ordinal) && FirstTabIndent(text) is { } tab)
        {
            // YamlDotNet places this one at the start of the file (line 1, column 1), not at the tab.
            (line, column) = tab;
            reason = "a tab indents this line: YAML indents with spaces only";
        }

        return new PipelineException(
            $"{path}, line {line}, column {column}: {reason} (YAML stops reading here: fix this, and any other mistake in the file shows on the next run).", e);
    }

    /// <summary>Line and column (from 1) of the first tab in a line's indentation, or null when none.</summary>
    private static (long Line, long Column)? FirstTabIndent(string text)
    {
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0 && indent < lines[i].TrimEnd('\r').Length)
            {
                return (i + 1, tab + 1);
            }
        }

        return null;
    }

    /// <summary>Every problem of one file in one error: one placed mistake on one line, as a compiler says it; several as a list under their count.</summary>
    private static PipelineException Problems(string path, List<string> problems, string what = "in the pipeline definition") =>
        problems is [var only] && only.StartsWith("line ", StringComparison.Ordinal)
            ? new PipelineException($"{path}, {only}")
            : new PipelineException(
                $"{path}: {problems.Count} problem(s) {what}:{Environment.NewLine}  - "
                + string.Join(Environment.NewLine + "  - ", problems));

    /// <summary>The YAML library's messages, said in the pipeline's words rather than .NET's type names.</summary>
    private static string Plain(string reason, Exception? inner)
    {
        if (System.Text.RegularExpressions.Regex.Match(reason, @"^Property '([^']+)' not found on type", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } unknown)
        {
            return $"unknown key '{unknown.Groups[1].Value}' in this section: check its spelling against README.md (pipeline.yaml keys are snake_case).";
        }

        if (inner is FormatException or OverflowException && System.Text.RegularExpressions.Regex.Match(reason, "'([^']*)'", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)) is { Success: true } value)
        {
            return $"'{value.Groups[1].Value}' is not a value this key takes (a number, true or false…, as README.md says).";
        }

        foreach (var (type, plain) in new[] { ("System.Double", "a number"), ("System.Decimal", "a number"), ("System.Int32", "a whole number"), ("System.Int64", "a whole number"), ("System.Boolean", "true or false"), ("System.String", "text"), ("System.Collections.Generic.List", "a list ([a, b] or one '- item' per line)"), ("System.Collections.Generic.Dictionary", "a mapping (key: value lines)") })
        {
            if (reason.Contains("No node deserializer", StringComparison.Ordinal) && reason.Contains(type, StringComparison.Ordinal))
            {
                return $"this key takes {plain}.";
            }
        }

        return reason;
    }
}
