using Automotech.OpenData.Anonymisation;

namespace Automotech.OpenData.Pipelines;

/// <summary>
/// The checks of a pipeline definition once read: each returns its errors, each naming its key,
/// so <see cref="PipelineLoader"/> reports them all at once.
/// </summary>
internal static partial class PipelineChecks
{
    [System.Text.RegularExpressions.GeneratedRegex(@"^\p{L}[\p{L}\p{M}'’ -]{0,39}$", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex RowLabelShape();

    public static List<string> Check(PipelineDefinition d, string folderId, YamlShapeCheck shape)
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

        // The pages, the citations and the DCAT-AP catalogue are built from these: left out, they
        // read "Données publiées sous ." and ", « title », …".
        if (string.IsNullOrWhiteSpace(d.Metadata.Description))
        {
            errors.Add("metadata.description is required (the dataset page and the DCAT-AP catalogue show it).");
        }

        if (string.IsNullOrWhiteSpace(d.Metadata.Licence.Title))
        {
            errors.Add("metadata.licence needs a title (the name every page and citation gives it).");
        }

        if (string.IsNullOrWhiteSpace(d.Metadata.Publisher.Name))
        {
            errors.Add("metadata.publisher needs a name (the author of every citation).");
        }

        if (d.Metadata.RowLabel is { } rowLabel && !RowLabelShape().IsMatch(rowLabel))
        {
            // Written into chart titles and the map's caption: a plural noun, not markup or a sentence.
            errors.Add($"metadata.row_label: '{rowLabel}' should be what one row is, as a French plural noun of at most 40 letters (acteurs, établissements, formations).");
        }

        if (string.IsNullOrWhiteSpace(d.Metadata.Contact.Name))
        {
            errors.Add("metadata.contact needs a name (and an email, for the users' questions).");
        }

        // Links of every page and @ids of catalog.jsonld: a relative one is a broken link there.
        var (url, email) = (Validation.BusinessChecks.Get("url", default).Check, Validation.BusinessChecks.Get("email", default).Check);
        foreach (var (key, value) in new[] { ("licence.url", d.Metadata.Licence.Url), ("publisher.url", d.Metadata.Publisher.Url), ("contact.url", d.Metadata.Contact.Url) })
        {
            if (!string.IsNullOrWhiteSpace(value) && url(value).Message is not null)
            {
                errors.Add($"metadata.{key}: '{value}' is not a web address (http:// or https://).");
            }
        }

        foreach (var (key, value) in new[] { ("publisher.email", d.Metadata.Publisher.Email), ("contact.email", d.Metadata.Contact.Email) })
        {
            if (!string.IsNullOrWhiteSpace(value) && email(value).Message is not null)
            {
                errors.Add($"metadata.{key}: '{value}' is not an e-mail address.");
            }
        }

        if (!string.IsNullOrWhiteSpace(d.Metadata.UpdateFrequency) && UpdateFrequency.EuCode(d.Metadata.UpdateFrequency) is null)
        {
            // Shown on the pages as written, but catalog.jsonld names a concept of the EU vocabulary
            // (dct:accrualPeriodicity): a label it cannot name was left out there without a word.
            errors.Add($"metadata.update_frequency: '{d.Metadata.UpdateFrequency}' is not a frequency of the EU vocabulary that catalog.jsonld names (accepted, in any case: {UpdateFrequency.Accepted}).");
        }

        if (d.Metadata.Themes is { } themes)
        {
            // catalog.jsonld's dcat:theme: a code outside the EU vocabulary names no theme a harvester knows.
            foreach (var theme in themes.Where(t => DataThemes.Code(t) is null))
            {
                errors.Add($"metadata.themes: '{theme}' is not a theme of the EU data-theme vocabulary that catalog.jsonld names (accepted, in any case: {DataThemes.Accepted}).");
            }

            if (themes.Count == 0)
            {
                errors.Add($"metadata.themes: the list is empty; declare at least one theme, or leave the key out for the default ({DataThemes.Default}) (accepted: {DataThemes.Accepted}).");
            }
        }

        if (d.Metadata.SpatialDepartements is { } departements)
        {
            // catalog.jsonld's dcat:bbox is computed from these départements' contours (reference/).
            var known = Reference.SpatialCoverage.Departements;
            var accepted = string.Join(", ", known.Select(c => $"{c} ({Reference.Geography.Occitanie.FindDepartement(c)?.Name})"));
            foreach (var code in departements.Where(c => !known.Contains(c, StringComparer.Ordinal)))
            {
                errors.Add($"metadata.spatial_departements: '{code}' is not the code of a département of Occitanie, whose contours give catalog.jsonld's bounding box (accepted, as text of two characters: {accepted}; leave the key out for the whole region).");
            }

            if (departements.Count == 0)
            {
                errors.Add($"metadata.spatial_departements: the list is empty; list the départements the data covers, or leave the key out for the whole region (accepted: {accepted}).");
            }
        }

        if (d.Metadata.TemporalStart is { } start && !FieldTypes.IsIsoDate(start))
        {
            // Published as an xsd:date in catalog.jsonld, and as the start of schema.org's temporalCoverage.
            errors.Add($"metadata.temporal_start: '{start}' is not a date written AAAA-MM-JJ (ISO 8601, such as 2007-01-01).");
        }

        if (!Sources.SourceFactory.Kinds.Contains(d.Source.Kind))
        {
            errors.Add($"source.kind '{d.Source.Kind}' is not supported (supported: {string.Join(", ", Sources.SourceFactory.Kinds)}).");
        }

        if (d.IsDerived)
        {
            // A derived dataset's labels are source values: its CSV follows its policy too.
            CheckFormulaCells(d, errors);
            CheckKeyFigures(d, errors);
            CheckCharts(d, errors);
            CheckGeoFields(d, errors);
            errors.AddRange(Aggregation.AggregateChecks.Own(d));
            return errors;
        }

        if (!shape.Unread("source.kind"))
        {
            errors.AddRange(Sources.SourceChecks.Check(d.Source));
        }

        if (!Sources.SourceChecks.Delimiters.Contains(d.Source.Delimiter))
        {
            errors.Add($"source.delimiter must be auto, ',', ';', '|' or a tab (tab, \\t or \"\\t\"), not '{d.Source.Delimiter}'.");
        }

        if (!Sources.SourceChecks.Encodings.Contains(d.Source.Encoding.ToLowerInvariant()))
        {
            errors.Add($"source.encoding '{d.Source.Encoding}' is not supported ({Sources.SourceEncoding.Supported}).");
        }

        CheckFormulaCells(d, errors);

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

            // A NaN or negative distance would reject every row, an infinite one none.
            if (check.Check == "position_near_commune" && check.MaxKm is not (> 0 and < double.PositiveInfinity))
            {
                errors.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"validation.row_checks: position_near_commune's max_km must be a distance in km above 0, not {check.MaxKm}."));
            }

            foreach (var field in used.OfType<string>().Where(f => !shape.Unread("source.schema") && d.Source.Schema.Find(f) is null))
            {
                errors.Add($"validation.row_checks: {check.Check} names '{field}', which is not a source field.");
            }
        }

        // Written so that NaN (.nan in YAML), which no comparison holds for, fails too.
        if (d.Validation.MaxErrorRatio is not (>= 0 and <= 1))
        {
            errors.Add("validation.max_error_ratio must be between 0 and 1.");
        }

        CheckKeyFigures(d, errors);
        CheckCharts(d, errors);
        CheckSchema("source.schema", d.Source.Schema, errors);
        CheckRules(d, errors, shape);
        SireneChecks.Check(d, errors, shape);
        foreach (var format in d.Outputs.Formats.Where(f => f is not ("csv" or "parquet" or "geojson")))
        {
            errors.Add($"outputs.formats: unknown format '{format}' (known: csv, parquet, geojson).");
        }

        CheckGeoFields(d, errors);
        return errors;
    }

    /// <summary>
    /// <c>outputs.latitude</c>, <c>outputs.longitude</c> and <c>outputs.departement</c>: the fields
    /// the GeoJSON's points, the page's map and its bars by département are read from. A field that
    /// is not published, or not of its kind, drew a page without points or bars, and said nothing.
    /// </summary>
    private static void CheckGeoFields(PipelineDefinition d, List<string> errors)
    {
        var o = d.Outputs;
        var declared = new[] { ("outputs.latitude", o.Latitude), ("outputs.longitude", o.Longitude), ("outputs.departement", o.Departement) }
            .Where(k => k.Item2 is not null).Select(k => (Key: k.Item1, Field: k.Item2!)).ToList();
        if (d.Aggregate is not null)
        {
            foreach (var (key, _) in declared)
            {
                errors.Add($"{key}: an aggregate's rows are table cells, not places: its page draws no map nor bars by département (leave the key out).");
            }

            return;
        }

        if ((o.Latitude is null) != (o.Longitude is null))
        {
            var (given, missing) = o.Latitude is null ? ("outputs.longitude", "outputs.latitude") : ("outputs.latitude", "outputs.longitude");
            errors.Add($"{given} is declared without {missing}: a position needs both; declare both, or neither for the fields named {OutputOptions.DefaultLatitude} and {OutputOptions.DefaultLongitude}.");
        }

        foreach (var (key, name) in declared)
        {
            var (type, what) = key == "outputs.departement"
                ? ("string", "a département code is text (09, 31), which a number would write 9")
                : ("number", "a position is a number of degrees (WGS 84)");
            if (d.Schema.Find(name) is not { } field)
            {
                errors.Add($"{key}: '{name}' is not a published field of {PipelineLoader.SchemaFile}.");
            }
            else if (field.Type != type)
            {
                errors.Add($"{key}: field '{name}' is of type {field.Type}; {what}: it must be of type {type} in {PipelineLoader.SchemaFile}.");
            }
        }

        if (o.Latitude is { } latitude && o.Longitude is { } longitude)
        {
            if (string.Equals(latitude, longitude, StringComparison.Ordinal))
            {
                errors.Add($"outputs.latitude and outputs.longitude both name '{latitude}': a position needs two fields.");
            }
            else if (NamedLongitude(latitude) || NamedLatitude(longitude))
            {
                // A field named lon holding latitudes is never meant: the points would be drawn in the sea.
                errors.Add($"outputs.latitude names '{latitude}' and outputs.longitude '{longitude}': are they swapped? (a latitude is north-south, 42 to 45 in Occitanie; a longitude east-west, -0.4 to 5).");
            }
        }

        var csv = o.Formats.Contains("csv");
        if (o.Departement is not null && !csv)
        {
            errors.Add($"outputs.departement: the bars by département and the map are counted in the published CSV, so outputs.formats must include csv (it is {string.Join(", ", o.Formats)}).");
        }

        // Declared positions are for the GeoJSON, or for the page's map, read in the CSV (on the
        // départements shaded by count, or on their outlines when no field holds a département):
        // with neither, they would be drawn nowhere.
        if (o.Latitude is not null && o.Longitude is not null && !o.Formats.Contains("geojson") && !csv)
        {
            errors.Add($"outputs.latitude, outputs.longitude: the positions would be drawn nowhere: outputs.formats has neither geojson nor csv, in which the page's map is counted (it is {string.Join(", ", o.Formats)}).");
        }

        if (o.Formats.Contains("geojson") && o.Latitude is null && o.Longitude is null)
        {
            foreach (var field in new[] { o.LatitudeField, o.LongitudeField }.Where(f => d.Schema.Find(f) is not { Type: "number" }))
            {
                errors.Add($"outputs: geojson needs '{field}' to be a number field of {PipelineLoader.SchemaFile} (set outputs.latitude / outputs.longitude).");
            }
        }
    }

    private static bool NamedLatitude(string field) => field.ToLowerInvariant() is "latitude" or "lat";

    private static bool NamedLongitude(string field) => field.ToLowerInvariant() is "longitude" or "lon" or "lng" or "long";

    private static void CheckFormulaCells(PipelineDefinition d, List<string> errors)
    {
        if (d.Validation.FormulaCells is not ("reject" or "neutralise"))
        {
            errors.Add($"validation.formula_cells must be reject or neutralise, not '{d.Validation.FormulaCells}'.");
        }
    }

    private static void CheckCharts(PipelineDefinition d, List<string> errors)
    {
        if (d.Metadata.Charts is not { } charts)
        {
            return;
        }

        if (charts.Count > 0 && d.Aggregate is not null)
        {
            errors.Add("metadata.charts: an aggregate's rows are table cells, not things to count: its page draws no chart.");
        }

        if (charts.Count > 0 && !d.Outputs.Formats.Contains("csv"))
        {
            errors.Add($"metadata.charts: charts are counted in the published CSV, so outputs.formats must include csv (it is {string.Join(", ", d.Outputs.Formats)}).");
        }

        for (var i = 0; i < charts.Count; i++)
        {
            var chart = charts[i];
            var at = $"metadata.charts[{i}]";
            if (d.Schema.Find(chart.Field) is not { } field)
            {
                errors.Add($"{at}: field '{chart.Field}' is not a published field of {PipelineLoader.SchemaFile}.");
            }
            else
            {
                // A label for a value the field never publishes names a bar that can never be drawn.
                foreach (var value in chart.Labels.Keys)
                {
                    if (NeverPublished(field, value) is { } why)
                    {
                        errors.Add($"{at}.labels: '{value}' can never be a value of {chart.Field}: {why}");
                    }
                }
            }

            if (string.IsNullOrWhiteSpace(chart.Title) || chart.Title.Length > 80)
            {
                errors.Add($"{at}: title is required, at most 80 characters (the chart's heading: « Par type d'acteur »).");
            }

            if (chart.Labels.Any(l => string.IsNullOrWhiteSpace(l.Value) || l.Value.Length > 60))
            {
                errors.Add($"{at}.labels: each label is a text of 1 to 60 characters (a bar's name).");
            }

            if (chart.Order is not ("count" or "labels"))
            {
                errors.Add($"{at}: order must be count or labels, not '{chart.Order}'.");
            }
            else if (chart.Order == "labels" && chart.Labels.Count == 0)
            {
                errors.Add($"{at}: order: labels draws the bars in the order of labels, and it declares none.");
            }
        }

        foreach (var group in charts.GroupBy(c => c.Field, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"metadata.charts: field '{group.Key}' is charted {group.Count()} times.");
        }
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
                errors.Add($"metadata.key_figures.{figure.Id}: '{field}' is not a published field of {PipelineLoader.SchemaFile}.");
            }

            // A row counts when its published text equals the value: a value the field never
            // publishes would show 0 in every version, and nothing would say why.
            foreach (var (name, value) in figure.Where)
            {
                if (d.Schema.Find(name) is { } field && NeverPublished(field, value) is { } why)
                {
                    errors.Add($"metadata.key_figures.{figure.Id}: where {name}: '{value}' can never match: {why}");
                }
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

        // Pages count the key figures in the version's CSV (and tell readers to recompute them from
        // it): without one, the publish stopped at the site with an internal error.
        if (d.Metadata.KeyFigures.Count > 0 && !d.Outputs.Formats.Contains("csv"))
        {
            errors.Add($"metadata.key_figures: key figures are counted in the published CSV, so outputs.formats must include csv (it is {string.Join(", ", d.Outputs.Formats)}).");
        }
    }

    /// <summary>Why a published field never reads <paramref name="value"/>, or null when it may.</summary>
    private static string? NeverPublished(SchemaField field, string value)
    {
        if (value.Length == 0)
        {
            return null; // the empty cells
        }

        if (field.Type == "boolean")
        {
            return value is "true" or "false" ? null : $"the published boolean field '{field.Name}' reads true or false (write \"{FieldTypes.Normalise(field, value) ?? "true"}\").";
        }

        if (field.Constraints.Enum is { Count: > 0 } values && !values.Contains(value, StringComparer.Ordinal))
        {
            return $"it is not one of the field's enum values ({string.Join(", ", values)}).";
        }

        var published = field.Type == "string" ? value : FieldTypes.Normalise(field, value);
        return published == value ? null
            : published is null ? $"it is not a value of the published field's type ({field.Type})."
            : $"the published {field.Type} field '{field.Name}' reads it '{published}'.";
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

            // Bounds no value can meet: every row would be rejected, for a mistake of the definition.
            if (field.Constraints is { MinLength: { } shortest, MaxLength: { } longest } && shortest > longest)
            {
                errors.Add($"{where}: field '{field.Name}': maxLength {longest} is below minLength {shortest}: no value can pass, every row would be rejected.");
            }

            if (field.Constraints is { Minimum: { } low, Maximum: { } high } && FieldTypes.BoundsCross(field, low, high))
            {
                errors.Add($"{where}: field '{field.Name}': maximum {high} is below minimum {low}: no value can pass, every row would be rejected.");
            }
        }

        foreach (var key in schema.PrimaryKey.Where(k => schema.Find(k) is null))
        {
            errors.Add($"{where}: primaryKey names '{key}', which is not a field.");
        }

        foreach (var group in schema.PrimaryKey.GroupBy(k => k, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{where}: primaryKey names '{group.Key}' {group.Count()} times: name each field once.");
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
                errors.Add($"fields.{name}: not a field of {PipelineLoader.SchemaFile}.");
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
                errors.Add($"anonymisation.k_anonymity.quasi_identifiers: '{name}' is not a field of {PipelineLoader.SchemaFile}.");
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
                        errors.Add($"anonymisation.k_anonymity.steps.{step.Id}: '{name}' is not a field of {PipelineLoader.SchemaFile}.");
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

    /// <summary>
    /// What a transform or bands cannot read in its source field: on text, headcount_band and bands
    /// crashed the run, year kept the first four characters; on a field the reference's check did not
    /// normalise (a commune code typed as a number, a NAF code without its dot), the geography and NAF
    /// transforms published nothing.
    /// </summary>
    private static string? InputMismatch(FieldRule rule, SchemaField input)
    {
        string[] numbers = ["integer", "number"];
        if (rule.Bands is not null && !numbers.Contains(input.Type))
        {
            return $"bands read a number, but source field '{input.Name}' is of type {input.Type} (give it type: integer or number).";
        }

        switch (rule.Transform)
        {
            case "year" when input.Type is not ("date" or "datetime" or "year"):
                return $"transform 'year' reads a date, but source field '{input.Name}' is of type {input.Type} (give it type: date, datetime or year; a date is read as ISO 8601, 2025-09-01).";
            case "headcount_band" or "headcount_band_label" when !numbers.Contains(input.Type):
                return $"transform '{rule.Transform}' reads a number, but source field '{input.Name}' is of type {input.Type} (give it type: integer or number).";
            case "commune_name" or "commune_latitude" or "commune_longitude" or "departement_code" or "departement_name" or "departement_latitude" or "departement_longitude"
                when !input.Checks.Contains("commune"):
                return $"transform '{rule.Transform}' reads a commune code: source field '{input.Name}' needs checks: [commune] (else a code the official geography does not know would publish an empty value).";
            case "naf_label" or "naf_division" or "naf_division_label" when !input.Checks.Contains("naf"):
                return $"transform '{rule.Transform}' reads a NAF code: source field '{input.Name}' needs checks: [naf] (which also reads 2910Z as 29.10Z).";
            case "scrub" or "drop_if_personal" when input.Type != "string":
                return $"transform '{rule.Transform}' reads text, but source field '{input.Name}' is of type {input.Type}.";
            default:
                return null;
        }
    }

    /// <summary>
    /// A value a map does not list was published unchanged: a CRM code typed wrong, or new, leaked
    /// as it is. A map must list every value its input may hold (the source field's enum, or the
    /// constant), or say with <c>otherwise</c> what an unlisted value becomes.
    /// </summary>
    private static void CheckMap(string where, FieldRule rule, TableSchema? source, List<string> errors)
    {
        const string instead = "or say what an unlisted value becomes: otherwise: keep (published unchanged) or otherwise: empty (published empty).";
        if (rule.Otherwise is { } otherwise)
        {
            if (rule.Map is null)
            {
                errors.Add($"{where}: otherwise says what a value a map does not list becomes: it needs a map.");
            }
            else if (otherwise is not ("keep" or "empty"))
            {
                errors.Add($"{where}: otherwise must be keep or empty, not '{otherwise}'.");
            }

            return;
        }

        if (rule.Map is not { } map)
        {
            return;
        }

        if (rule.Value is { } constant)
        {
            if (!map.ContainsKey(constant))
            {
                errors.Add($"{where}: map lists no value for the constant '{constant}': it would be published unchanged: add it to the map, {instead}");
            }
        }
        else if (rule.From is not null && source?.Find(rule.From) is { } input)
        {
            if (input.Constraints.Enum is not { } allowed)
            {
                errors.Add($"{where}: map lists {string.Join(", ", map.Keys)}, but source field '{input.Name}' may hold other values (it has no enum), which would be published unchanged: give it constraints.enum with the listed values (a row with another value is then rejected, at its line), {instead}");
            }
            else
            {
                foreach (var value in allowed.Where(v => !map.ContainsKey(v)))
                {
                    errors.Add($"{where}: map lists no value for '{value}', which source field '{input.Name}' allows (its enum): it would be published unchanged: add it to the map, {instead}");
                }
            }
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
            else if (source?.Find(rule.From) is { } input && InputMismatch(rule, input) is { } mismatch)
            {
                errors.Add($"{where}: {mismatch}");
            }

            used.Add(rule.From);
        }

        var shapes = (rule.Transform is null ? 0 : 1) + (rule.Map is null ? 0 : 1) + (rule.Bands is null ? 0 : 1);
        if (shapes > 1)
        {
            errors.Add($"{where}: use at most one of 'transform', 'map' and 'bands'.");
        }

        CheckMap(where, rule, source, errors);
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
