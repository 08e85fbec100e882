using Automotech.OpenData.Anonymisation;
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
        problems.AddRange(Check(definition, folderId, shape)
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
            shape = YamlShapeCheck.Of(text, typeof(PipelineDefinition), Strict)
                ?? throw new PipelineException($"{path}: the file is empty.");
        }
        catch (YamlException e)
        {
            throw Stopped(path, e);
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
                throw Stopped(path, e);
            }

            throw;
        }

        problems.AddRange(shape.Mistakes.Select(m => $"line {m.Line}, column {m.Column}: {m.Message}"));
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
    private static PipelineException Stopped(string path, YamlException e)
    {
        // The old reader kept the last of two equal keys without a word; which one was meant is the operator's call.
        var reason = (e.InnerException?.Message ?? e.Message).Split('\n')[0].Trim();
        if (reason.StartsWith("Duplicate key ", StringComparison.Ordinal))
        {
            reason = $"key '{reason["Duplicate key ".Length..]}' is given twice in this section: keep one";
        }

        return new PipelineException(
            $"{path}, line {e.Start.Line}, column {e.Start.Column}: {reason} (YAML stops reading here: fix this, and any other mistake in the file shows on the next run).", e);
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

    private static List<string> Check(PipelineDefinition d, string folderId, YamlShapeCheck shape)
    {
        var errors = new List<string>();
        if (!string.Equals(d.Id, folderId, StringComparison.Ordinal))
        {
            errors.Add($"id '{d.Id}' must equal the folder name '{folderId}' (it is part of every published URL).");
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(d.Id, "^[a-z0-9][a-z0-9-]*$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
        {
            errors.Add($"id '{d.Id}' must be lower-case letters, digits and dashes.");
        }

        if (string.IsNullOrWhiteSpace(d.Metadata.Title))
        {
            errors.Add("metadata.title is required.");
        }

        if (string.IsNullOrWhiteSpace(d.Metadata.Licence.Id) || string.IsNullOrWhiteSpace(d.Metadata.Licence.Url))
        {
            errors.Add("metadata.licence needs an id and a url.");
        }

        if (!Sources.SourceFactory.Kinds.Contains(d.Source.Kind))
        {
            errors.Add($"source.kind '{d.Source.Kind}' is not supported (supported: {string.Join(", ", Sources.SourceFactory.Kinds)}).");
        }

        if (d.IsDerived)
        {
            CheckKeyFigures(d, errors);
            errors.AddRange(Aggregation.AggregateChecks.Own(d));
            return errors;
        }

        if (!shape.Unread("source.kind"))
        {
            errors.AddRange(Sources.SourceChecks.Check(d.Source));
        }

        if (d.Source.Delimiter is not ("auto" or "," or ";" or "|" or "\t" or "\\t" or "tab"))
        {
            errors.Add($"source.delimiter must be auto, ',', ';', '|' or a tab, not '{d.Source.Delimiter}'.");
        }

        if (d.Source.Encoding.ToLowerInvariant() is not ("auto" or "utf-8" or "utf8" or "windows-1252" or "cp1252" or "iso-8859-1" or "latin1"))
        {
            errors.Add($"source.encoding '{d.Source.Encoding}' is not supported (auto, utf-8, windows-1252, iso-8859-1).");
        }

        if (d.Validation.FormulaCells is not ("reject" or "neutralise"))
        {
            errors.Add($"validation.formula_cells must be reject or neutralise, not '{d.Validation.FormulaCells}'.");
        }

        foreach (var check in d.Validation.RowChecks)
        {
            if (!Validation.RowChecks.Known.Contains(check.Check))
            {
                errors.Add($"validation.row_checks: unknown check '{check.Check}' (known: {string.Join(", ", Validation.RowChecks.Known)}).");
            }

            var used = Validation.RowChecks.FieldsOf(check).ToList();
            if (used.Any(f => f is null))
            {
                errors.Add($"validation.row_checks: {check.Check} needs {(check.Check == "postcode_matches_commune" ? "postcode and commune" : "latitude, longitude and commune")}.");
            }

            foreach (var field in used.OfType<string>().Where(f => !shape.Unread("source.schema") && d.Source.Schema.Find(f) is null))
            {
                errors.Add($"validation.row_checks: {check.Check} names '{field}', which is not a source field.");
            }
        }

        if (d.Validation.MaxErrorRatio is < 0 or > 1)
        {
            errors.Add("validation.max_error_ratio must be between 0 and 1.");
        }

        CheckKeyFigures(d, errors);
        CheckSchema("source.schema", d.Source.Schema, errors);
        CheckRules(d, errors, shape);
        SireneChecks.Check(d, errors, shape);
        foreach (var format in d.Outputs.Formats.Where(f => f is not ("csv" or "parquet" or "geojson")))
        {
            errors.Add($"outputs.formats: unknown format '{format}' (known: csv, parquet, geojson).");
        }

        if (d.Outputs.Formats.Contains("geojson"))
        {
            foreach (var field in new[] { d.Outputs.Latitude, d.Outputs.Longitude }.Where(f => d.Schema.Find(f) is not { Type: "number" }))
            {
                errors.Add($"outputs: geojson needs '{field}' to be a number field of {SchemaFile} (set outputs.latitude / outputs.longitude).");
            }
        }

        return errors;
    }

    private static void CheckKeyFigures(PipelineDefinition d, List<string> errors)
    {
        foreach (var figure in d.Metadata.KeyFigures)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(figure.Id, "^[a-z0-9][a-z0-9-]*$", System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1)))
            {
                errors.Add($"metadata.key_figures: id '{figure.Id}' must be lower-case letters, digits and dashes (it is a permanent anchor).");
            }

            foreach (var field in figure.Where.Keys.Append(figure.Column).Append(figure.Status).OfType<string>().Where(f => d.Schema.Find(f) is null))
            {
                errors.Add($"metadata.key_figures.{figure.Id}: '{field}' is not a published field of {SchemaFile}.");
            }

            if (figure.Unit is not ("count" or "eur"))
            {
                errors.Add($"metadata.key_figures.{figure.Id}: unit must be count or eur, not '{figure.Unit}'.");
            }
        }

        foreach (var group in d.Metadata.KeyFigures.GroupBy(k => k.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"metadata.key_figures: id '{group.Key}' is used {group.Count()} times.");
        }
    }

    private static void CheckSchema(string where, TableSchema schema, List<string> errors)
    {
        if (schema.Fields.Count == 0)
        {
            errors.Add($"{where} declares no field.");
        }

        foreach (var group in schema.Fields.GroupBy(f => f.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{where}: field '{group.Key}' is declared {group.Count()} times.");
        }

        foreach (var field in schema.Fields)
        {
            if (!FieldTypes.IsKnown(field.Type))
            {
                errors.Add($"{where}: field '{field.Name}' has unknown type '{field.Type}' (known: {string.Join(", ", FieldTypes.Known)}).");
            }

            foreach (var check in field.Checks.Concat(field.Warnings).Where(c => !Validation.BusinessChecks.IsKnown(c)))
            {
                errors.Add($"{where}: field '{field.Name}' has unknown check '{check}' (known: {string.Join(", ", Validation.BusinessChecks.Known)}).");
            }
        }

        foreach (var key in schema.PrimaryKey.Where(k => schema.Find(k) is null))
        {
            errors.Add($"{where}: primaryKey names '{key}', which is not a field.");
        }
    }

    private static void CheckRules(PipelineDefinition d, List<string> errors, YamlShapeCheck shape)
    {
        // A source schema or a rule that was not read would make every lookup in it fail: skip those.
        var source = shape.Unread("source.schema", "enrich") ? null : d.InputSchema;
        var rulesRead = !shape.Unread("fields", "anonymisation.k_anonymity.steps");
        foreach (var field in d.Schema.Fields.Where(f => !d.Fields.ContainsKey(f.Name)))
        {
            errors.Add($"fields: no rule says how to compute published field '{field.Name}'.");
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, rule) in d.Fields)
        {
            if (d.Schema.Find(name) is null)
            {
                errors.Add($"fields.{name}: not a field of {SchemaFile}.");
            }

            CheckRule($"fields.{name}", rule, source, used, errors);
            if (rule.NaturalPerson is { } np)
            {
                CheckRule($"fields.{name}.natural_person", np, source, used, errors);
            }
        }

        if (d.Anonymisation.KAnonymity is { } kAnonymity)
        {
            if (kAnonymity.K < 2)
            {
                errors.Add("anonymisation.k_anonymity.k must be at least 2.");
            }

            if (kAnonymity.QuasiIdentifiers.Count == 0)
            {
                errors.Add("anonymisation.k_anonymity.quasi_identifiers: name the published fields that could single a person out.");
            }

            foreach (var name in kAnonymity.QuasiIdentifiers.Where(q => d.Schema.Find(q) is null))
            {
                errors.Add($"anonymisation.k_anonymity.quasi_identifiers: '{name}' is not a field of {SchemaFile}.");
            }

            // A published field outside the quasi-identifiers could single a person out on its own:
            // for natural persons it must be withheld, constant, or the pseudonym.
            foreach (var field in d.Schema.FieldNames.Where(f => rulesRead && !kAnonymity.QuasiIdentifiers.Contains(f) && d.Fields.ContainsKey(f)))
            {
                var rule = d.Fields[field].NaturalPerson ?? d.Fields[field];
                if (!rule.Drop && rule.Value is null && rule.Transform != "pseudonymise")
                {
                    errors.Add($"anonymisation.k_anonymity: published field '{field}' is neither a quasi-identifier nor withheld, constant or pseudonymised for natural persons.");
                }
            }

            foreach (var step in kAnonymity.Steps)
            {
                if (string.IsNullOrWhiteSpace(step.Id) || step.Fields.Count == 0)
                {
                    errors.Add("anonymisation.k_anonymity.steps: each step needs an id and at least one field rule.");
                }

                foreach (var (name, rule) in step.Fields)
                {
                    if (d.Schema.Find(name) is null)
                    {
                        errors.Add($"anonymisation.k_anonymity.steps.{step.Id}: '{name}' is not a field of {SchemaFile}.");
                    }

                    CheckRule($"anonymisation.k_anonymity.steps.{step.Id}.{name}", rule, source, used, errors);
                }
            }
        }

        if (source is null)
        {
            return;
        }

        foreach (var condition in d.Anonymisation.NaturalPersonWhen.Where(c => source.Find(c.Field) is null))
        {
            errors.Add($"anonymisation.natural_person_when: '{condition.Field}' is not a source field.");
        }

        foreach (var name in d.Anonymisation.Drop)
        {
            if (source.Find(name) is null)
            {
                errors.Add($"anonymisation.drop: '{name}' is not a source field.");
            }
            else if (rulesRead && used.Contains(name))
            {
                errors.Add($"anonymisation.drop: '{name}' is dropped but a field rule publishes it.");
            }
        }

        // A column that nobody decided about must not leak when the source gains it: every
        // source field is either used by a rule or dropped explicitly.
        foreach (var field in source.Fields.Where(f => rulesRead && !shape.Unread("anonymisation.drop") && !used.Contains(f.Name) && !d.Anonymisation.Drop.Contains(f.Name)))
        {
            errors.Add($"source field '{field.Name}' is neither used by a field rule nor listed in anonymisation.drop.");
        }
    }

    private static void CheckRule(string where, FieldRule rule, TableSchema? source, HashSet<string> used, List<string> errors)
    {
        if (rule.Drop)
        {
            return;
        }

        if ((rule.From is null) == (rule.Value is null))
        {
            errors.Add($"{where}: give exactly one of 'from' (a source field) or 'value' (a constant), or 'drop: true'.");
        }

        if (rule.From is not null)
        {
            if (source is not null && source.Find(rule.From) is null)
            {
                errors.Add($"{where}: 'from: {rule.From}' is not a source field.");
            }

            used.Add(rule.From);
        }

        var shapes = (rule.Transform is null ? 0 : 1) + (rule.Map is null ? 0 : 1) + (rule.Bands is null ? 0 : 1);
        if (shapes > 1)
        {
            errors.Add($"{where}: use at most one of 'transform', 'map' and 'bands'.");
        }

        if (rule.Transform is not null && !FieldTransforms.IsKnown(rule.Transform))
        {
            errors.Add($"{where}: unknown transform '{rule.Transform}' (known: {string.Join(", ", FieldTransforms.Known)}).");
        }

        if (rule.Bands is { Count: > 0 } bands && bands[^1].Below is not null)
        {
            errors.Add($"{where}: the last band must have no 'below' (it takes every larger value).");
        }

        if (rule.NaturalPerson?.NaturalPerson is not null)
        {
            errors.Add($"{where}: natural_person cannot be nested.");
        }
    }
}
