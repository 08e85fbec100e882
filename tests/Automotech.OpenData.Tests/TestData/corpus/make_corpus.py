#!/usr/bin/env python3
"""Writes the malformed-input corpus from fictional rows of the demo sample.

Each file is a header and three rows: row A (line 2), the row under test B (line 3),
row C (line 4), unless the file says otherwise. Run from this folder:
    python3 make_corpus.py
The expected errors are asserted in Sources/CorpusTests.cs.
"""
import csv, io

with open('../../../../samples/acteurs-crm-demo.csv', encoding='utf-8', newline='') as f:
    rows = list(csv.reader(f))
H = rows[0]
I = {n: i for i, n in enumerate(H)}
good = [r for r in rows[1:] if r[I['categorie_juridique']] == '5710' and r[I['effectif']]
        and r[I['chiffre_affaires_eur']] and r[I['site_web']] and '\n' not in ''.join(r)]
A, B, C = good[0], good[1], good[2]
TOULOUSE = next(r for r in good if r[I['code_commune']] == '31555')


def row(base, **changes):
    r = list(base)
    for k, v in changes.items():
        r[I[k]] = v
    return r


def text(header, data, delimiter=',', newline='\r\n'):
    out = io.StringIO()
    w = csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in data:
        w.writerow(r)
    return out.getvalue()


def write(name, content, encoding='utf-8'):
    data = content.encode(encoding) if isinstance(content, str) else content
    with open(name, 'wb') as f:
        f.write(data)


def three(b, **kw):
    return text(H, [A, b, C], **kw)


# Header problems
write('missing_label_required_siret.csv', text([h for h in H if h != 'siret'], [[v for n, v in zip(H, r) if n != 'siret'] for r in (A, B, C)]))
write('duplicate_label_two_siret_columns.csv', text(H + ['SIRET '], [r + [r[I['siret']]] for r in (A, B, C)]))
write('extra_label_unknown_column.csv', text(H + ['Notes internes'], [r + ['à rappeler'] for r in (A, B, C)]))
write('blank_header_column.csv', text(H + [''], [r + ['x'] for r in (A, B, C)]))
write('title_line_above_header.csv', 'Export CRM du 12/11/2026\r\n' + three(B))
write('missing_label_optional_description.csv', text([h for h in H if h != 'description'], [[v for n, v in zip(H, r) if n != 'description'] for r in (A, B, C)]))
renamed = [{'raison_sociale': 'Raison Sociale', 'siret': 'SIRET', 'code_naf': 'Code-NAF', 'date_maj': 'DATE_MAJ', 'code_commune': 'Code Commune'}.get(h, h) for h in H]
write('renamed_headers_case_accents_punctuation.csv', text(renamed, [A, B, C]))
write('alias_header_denomination.csv', text(['Dénomination' if h == 'raison_sociale' else h for h in H], [A, B, C]))

# Encodings
write('utf8_with_bom.csv', b'\xef\xbb\xbf' + three(B).encode('utf-8'))
accented = row(B, raison_sociale='Société Sévérac Électronique', commune='Sévérac d\'Aveyron')
write('windows1252_excel_semicolon.csv', three(accented, delimiter=';'), 'cp1252')
write('iso88591_accents.csv', three(accented), 'latin-1')
bad = three(B).encode('utf-8').split(b'\r\n')
bad[2] = bad[2].replace(b'SAS', b'S\xe9AS', 1)
write('encoding_error_invalid_utf8_line_3.csv', b'\r\n'.join(bad))

# Delimiters, quoting, line endings
write('semicolon_delimited.csv', three(B, delimiter=';'))
write('tab_delimited.tsv', three(B, delimiter='\t'))
quoted = row(B, description='Pièces « premium », dites "haut de gamme" ;\nsur deux lignes, avec des virgules, et un ; point-virgule.')
write('quoted_delimiters_quotes_line_breaks.csv', text(H, [A, quoted, row(C, siret='12345678901234')]))
mixed = text(H, [A, B]) .replace('\r\n', '\n', 2) + text(H, [row(C, effectif='douze')]).split('\r\n', 1)[1]
write('mixed_crlf_lf_line_endings.csv', mixed)
write('trailing_blank_lines.csv', three(B) + '\r\n\r\n\n')

# Row structure
write('blank_row.csv', text(H, [A, [''] * len(H), C]))
write('missing_cell.csv', text(H, [A, B[:-3], C]))
write('extra_cell.csv', text(H, [A, B + ['surplus'], C]))
write('duplicate_row.csv', text(H, [A, A, C]))

# Types and constraints
write('type_error_effectif_not_integer.csv', three(row(B, effectif='douze')))
write('type_error_date_french_format.csv', three(row(B, date_maj='25/11/2026')))
write('constraint_required_raison_sociale_empty.csv', three(row(B, raison_sociale='')))
write('constraint_enum_type_acteur.csv', three(row(B, type_acteur='multinationale')))
write('constraint_pattern_code_postal.csv', three(row(B, code_postal='3100')))
write('constraint_minimum_negative_effectif.csv', three(row(B, effectif='-3')))
write('constraint_maximum_latitude_paris.csv', three(row(B, latitude='48.85661', longitude='2.35222')))
write('constraint_maxlength_raison_sociale.csv', three(row(B, raison_sociale='Ateliers ' + 'x' * 200)))
write('primary_key_duplicate_siret.csv', text(H, [A, row(B, siret=A[I['siret']]), C]))

# French business checks
write('siret_bad_luhn.csv', three(row(B, siret=B[I['siret']][:-1] + str((int(B[I['siret']][-1]) + 1) % 10))))
write('siret_thirteen_digits.csv', three(row(B, siret=B[I['siret']][:-1])))
s = B[I['siret']]
write('siret_spaces_and_dots_accepted.csv', three(row(B, siret=f'{s[:3]} {s[3:6]} {s[6:9]} {s[9:]}')) )
write('siret_la_poste_exception_accepted.csv', three(row(B, siret='35600000009075')))
write('naf_unknown_code.csv', three(row(B, code_naf='29.99Z')))
write('naf_without_dot_normalised.csv', three(row(B, code_naf=B[I['code_naf']].replace('.', ''))))
write('commune_outside_occitanie.csv', three(row(B, code_commune='75056')))
write('commune_malformed.csv', three(row(B, code_commune='Toulouse')))
T = TOULOUSE
write('postcode_other_commune_same_departement_warning.csv', text(H, [A, row(T, code_postal='31170'), C]))
write('postcode_unknown.csv', text(H, [A, row(T, code_postal='99999'), C]))
write('postcode_other_departement.csv', text(H, [A, row(T, code_postal='82000'), C]))
write('position_far_from_commune.csv', text(H, [A, row(T, latitude='44.01750', longitude='1.35500'), C]))
write('email_malformed_warning.csv', three(row(B, contact_email='jean.dupont@garage')))
write('phone_malformed_warning.csv', three(row(B, contact_telephone='05 36 49 12')))
write('url_malformed_site_web.csv', three(row(B, site_web='www.sans-protocole.example')))
write('date_in_the_future.csv', three(row(B, date_maj='2027-01-15')))
write('date_adhesion_impossible_day.csv', three(row(B, date_adhesion='2023-02-30')))

# Spreadsheet safety
write('formula_injection_in_description.csv', three(row(B, description='=HYPERLINK("http://evil.example","Cliquez")')))
write('formula_injection_at_sign_in_name.csv', three(row(B, raison_sociale='@SUM(1+1)*cmd|/C calc')))

# Limits
write('limits_field_too_long.csv', three(row(B, description='Très long. ' * 500)))
