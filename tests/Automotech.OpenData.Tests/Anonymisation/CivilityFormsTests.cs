using Automotech.OpenData.Anonymisation;

namespace Automotech.OpenData.Tests.Anonymisation;

/// <summary>
/// The forms of a civility or a title a CRM note writes before a person's name beyond the usual
/// ones (README, "What scrub masks"): without its dot, plural, feminine, with initials written
/// without dots or particles of other languages; and the words that look like them and stay.
/// All names invented.
/// </summary>
public class CivilityFormsTests
{
    // "M" for Monsieur without its dot, as "M." is read: each published its name before.
    [Theory]
    [InlineData("Suivi par M Dupont.", "Suivi par M [nom masqué].")]
    [InlineData("Suivi par M DUPONT le 3 mai", "Suivi par M [nom masqué] le 3 mai")]
    [InlineData("M Jean-Marc Pélissouart, gérant", "M [nom masqué], gérant")]
    [InlineData("RDV avec M J. Castanhoul", "RDV avec M [nom masqué]")]
    [InlineData("Contact : M Plantevigne", "Contact : M [nom masqué]")]
    [InlineData("(M\u00A0Quérinel)", "(M\u00A0[nom masqué])")]
    public void A_name_after_m_without_its_dot_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // A plural civility, then its list of names (a comma, "et" or '&' between them): the whole
    // list becomes one marker.
    [Theory]
    [InlineData("Reçus par MM Dupont et Martin.", "Reçus par MM [nom masqué].")]
    [InlineData("Reçus par MM. Dupont, Martin et Durand-Lefort", "Reçus par MM. [nom masqué]")]
    [InlineData("Mmes Vautrain et Quérinel, cogérantes", "Mmes [nom masqué], cogérantes")]
    [InlineData("Mmes. Vautrain & Quérinel", "Mmes. [nom masqué]")]
    [InlineData("MMES VAUTRAIN ET QUÉRINEL", "MMES [nom masqué]")]
    [InlineData("Mlles Brancaleu et O'Brannagh", "Mlles [nom masqué]")]
    [InlineData("Messieurs Plantevigne et Castanhoul", "Messieurs [nom masqué]")]
    [InlineData("Mesdames Vautrain et Quérinel", "Mesdames [nom masqué]")]
    [InlineData("MESDEMOISELLES BRANCALEU ET ARSÈNE", "MESDEMOISELLES [nom masqué]")]
    [InlineData("voir mmes dupont et Martin", "voir mmes [nom masqué]")]
    [InlineData("Contact : MM Dupont et Martin", "Contact : MM [nom masqué]")]
    public void A_list_of_names_after_a_plural_civility_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // Melles is a commune of Haute-Garonne (31337): the plural of "Melle" would have masked the
    // word after it. Found in the benchmark's 10M generated rows, where two descriptions read
    // "Établissement à Melles [nom masqué] équipementier mondial".
    [Theory]
    [InlineData("Établissement à Melles d'un équipementier mondial (carrosserie industrielle et remorques).")]
    [InlineData("Site de MELLES d'une PME, à Melles Haute-Garonne")]
    [InlineData("Atelier à Melles et Saint-Béat")]
    public void The_commune_of_melles_is_not_a_civility(string text) =>
        Assert.Equal(text, TextScrubber.Scrub(text));

    // Maître with a dot, the feminine Docteure and Professeure.
    [Theory]
    [InlineData("Acte chez Me. Ravanel, notaire", "Acte chez Me. [nom masqué], notaire")]
    [InlineData("Suivi par la Docteure Oustalet", "Suivi par la Docteure [nom masqué]")]
    [InlineData("Professeure Ysaline Castanhoul (INSA)", "Professeure [nom masqué] (INSA)")]
    [InlineData("DOCTEURE OUSTALET ; PROFESSEURE CASTANHOUL", "DOCTEURE [nom masqué] ; PROFESSEURE [nom masqué]")]
    public void A_name_after_maitre_with_a_dot_or_a_feminine_title_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // Initials joined without dots or without a hyphen: "J.P." published "P. Dupont" after the
    // marker, "J-P" the whole name.
    [Theory]
    [InlineData("Suivi par M. J-P Dupont.", "Suivi par M. [nom masqué].")]
    [InlineData("Suivi par M. J.P. Dupont.", "Suivi par M. [nom masqué].")]
    [InlineData("Suivi par Mme M.-A. Vautrain", "Suivi par Mme [nom masqué]")]
    [InlineData("Suivi par Dr J.-Pierre Oustalet", "Suivi par Dr [nom masqué]")]
    [InlineData("Dirigeant : J-P Castanhoul", "Dirigeant : [nom masqué]")]
    public void A_name_with_initials_joined_otherwise_is_masked_whole(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // Particles of the names of Italian, Spanish and Portuguese origin, frequent in Occitanie.
    [Theory]
    [InlineData("Suivi par M. di Mauro", "Suivi par M. [nom masqué]")]
    [InlineData("Suivi par Mme da Silva et M. dos Santos", "Suivi par Mme [nom masqué] et M. [nom masqué]")]
    [InlineData("Suivi par Dr Juan del Castillo", "Suivi par Dr [nom masqué]")]
    [InlineData("Suivi par Mme Ana do Nascimento", "Suivi par Mme [nom masqué]")]
    public void A_name_with_an_italian_spanish_or_portuguese_particle_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // "M." with its dot is Monsieur, as unambiguous as "Mme": a lower-case name after it goes, as
    // after "Mme" ("Mme dupont"), three letters at least, particles first but "le" and "la".
    [Theory]
    [InlineData("Suivi par M. dupont.", "Suivi par M. [nom masqué].")]
    [InlineData("M. dupont et Mme martin", "M. [nom masqué] et Mme [nom masqué]")]
    [InlineData("Gérant\u00A0: M.\u00A0durand-lefort", "Gérant\u00A0: M.\u00A0[nom masqué]")]
    [InlineData("RDV avec M. de la tourvelle demain", "RDV avec M. [nom masqué] demain")]
    [InlineData("RDV avec M. d'esparvelle", "RDV avec M. [nom masqué]")]
    [InlineData("Ets M. bousquéral", "Ets M. [nom masqué]")]
    public void A_lower_case_name_after_m_with_its_dot_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // Not without its dot ("M" is also a size or a model), not a role after "le", "la" or "l'"
    // (a title is not a name), not a word of two letters ("M. et Mme").
    [Theory]
    [InlineData("Taille M pour enfants ; modèle M sport.")]
    [InlineData("Reçu par M. le maire de Blagnac, puis par M. l'adjoint au maire.")]
    [InlineData("Courrier à M. le directeur commercial.")]
    [InlineData("Chez M. et Mme ; M. ou Mme.")]
    public void A_lower_case_word_after_m_without_its_dot_or_a_role_after_m_stays(string text) =>
        Assert.Equal(text, TextScrubber.Scrub(text));

    // More civilities and titles a CRM note writes: Prof (professeur), Dre (docteure), Mgr and
    // Monseigneur, Vve (veuve, in company names too), with or without their dot.
    [Theory]
    [InlineData("Suivi par le Prof. Anselme van der Mirbeek", "Suivi par le Prof. [nom masqué]")]
    [InlineData("Prof Castanhoul (INSA)", "Prof [nom masqué] (INSA)")]
    [InlineData("Dre Oustalet, médecin du travail", "Dre [nom masqué], médecin du travail")]
    [InlineData("Dre. Sévrine Oustalet", "Dre. [nom masqué]")]
    [InlineData("Reçu par Mgr Plantevigne et Monseigneur Quérinel", "Reçu par Mgr [nom masqué] et Monseigneur [nom masqué]")]
    [InlineData("Ets Vve Bousquéral et Fils", "Ets Vve [nom masqué] et Fils")]
    [InlineData("VVE BOUSQUERAL ; Vve. Arsène", "VVE [nom masqué] ; Vve. [nom masqué]")]
    [InlineData("Contact : Dre Oustalet", "Contact : Dre [nom masqué]")]
    public void A_name_after_prof_dre_mgr_or_vve_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // MR and ME (maître) in capitals, as texts typed in capitals write them: before a name word of
    // three letters at least, in capitals or capitalised, or initials.
    [Theory]
    [InlineData("RDV avec MR DUPONT le 3 mai", "RDV avec MR [nom masqué] le 3 mai")]
    [InlineData("MR. JEAN-MARC PÉLISSOUART", "MR. [nom masqué]")]
    [InlineData("vu avec MR Dupont", "vu avec MR [nom masqué]")]
    [InlineData("Acte chez ME MARTIN, notaire", "Acte chez ME [nom masqué], notaire")]
    [InlineData("ME GONTRAN D'ESPARVELLE (avocat)", "ME [nom masqué] (avocat)")]
    [InlineData("ACTE CHEZ ME. RAVANEL", "ACTE CHEZ ME. [nom masqué]")]
    [InlineData("MR J.-P. CASTANHOUL, MME VAUTRAIN", "MR [nom masqué], MME [nom masqué]")]
    public void A_name_in_capitals_after_mr_or_me_in_capitals_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // What looks like them and stays: MR and ME in codes and acronyms (no word of three letters
    // after them), ME the pronoun in a text typed in capitals (after a word in capitals: "IL ME
    // DIT"), ME the micro-entreprise before a lower-case word, DRE (a direction régionale), "Prof"
    // before a lower-case word, the words alone.
    [Theory]
    [InlineData("IL ME DIT QUE LE CLIENT ME RAPPELLE DEMAIN ; MERCI DE ME CONTACTER")]
    [InlineData("Code ME 12 ; réf. MR-4 ; MR X ; ME ET MR ; MR 2 ; PME ME")]
    [InlineData("Statut ME depuis 2019 ; passage de ME en SARL")]
    [InlineData("DRE Occitanie ; Prof de maths ; le prof Dupont ; Mgr ; Vve ; Dre")]
    [InlineData("Ouvert Lu Ma Me Je Ve ; Me voici ; il me semble")]
    public void Mr_me_and_the_new_titles_look_alikes_stay(string text) =>
        Assert.Equal(text, TextScrubber.Scrub(text));

    // "M" or "M." right after a number (blanks between, or none) is a million, not a civility: the
    // word after it is a currency or a unit, and masking it changed the published figures.
    [Theory]
    [InlineData("Un chiffre d'affaires de 12 M Euros en 2024.")]
    [InlineData("CA : 3,5 M. Euros ; 12 M Dollars ; 12\u00A0M Euros ; 12\u202FM EUR ; 1 200 M. euros ; 40  M Euros.")]
    [InlineData("Levée de 2 M Livres Sterling, puis 7 M. Francs Suisses.")]
    [InlineData("Encours de 12 MM Euros ; 1,2 MM. Dollars ; 40\u00A0MM EUR.")]
    public void M_right_after_a_number_is_a_million_and_stays(string text) =>
        Assert.Equal(text, TextScrubber.Scrub(text));

    // Elsewhere it is still a civility: at the start, after a word or punctuation; and the other
    // civilities after a number are not millions.
    [Theory]
    [InlineData("M Dupont a signé pour 12 M Euros.", "M [nom masqué] a signé pour 12 M Euros.")]
    [InlineData("Contrat de 12 M Euros signé par M Dupont et M. dupont", "Contrat de 12 M Euros signé par M [nom masqué] et M. [nom masqué]")]
    [InlineData("Lot 12 ; M. Dupont", "Lot 12 ; M. [nom masqué]")]
    [InlineData("Lot 12 ; MM Dupont et Martin ; le 12 MME VAUTRAIN", "Lot 12 ; MM [nom masqué] ; le 12 MME [nom masqué]")]
    [InlineData("Rendez-vous le 12 avec Mme Vautrain ; le 14 Mme Quérinel", "Rendez-vous le 12 avec Mme [nom masqué] ; le 14 Mme [nom masqué]")]
    public void M_elsewhere_than_after_a_number_is_still_a_civility(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // What looks like them and stays: "M" and "Pr" in product codes and sizes (no capitalised
    // word after them), "me" the pronoun, "Me" before a lower-case word, the greetings of a
    // letter, plurals before a comma or "et", amounts in millions without a blank.
    [Theory]
    [InlineData("Série M ; modèle M 12 ; BMW M3 ; gamme Pr 3 ; taille M.")]
    [InlineData("Il me semble que la pièce me convient ; Me voici.")]
    [InlineData("Mesdames, Messieurs, Mesdames et Messieurs, MM. et Mmes.")]
    [InlineData("Chiffre d'affaires : 12 M€, 3 M d'euros en 2024.")]
    [InlineData("Taille M ou L ; M/L ; M-12 ; PM M2.")]
    public void Product_codes_sizes_and_words_like_a_civility_stay(string text) =>
        Assert.Equal(text, TextScrubber.Scrub(text));

    // Veuve written out, capitalised or in capitals, read as its abbreviation Vve is: in company
    // names too, where the words after the name that are no name stay ("et Fils").
    [Theory]
    [InlineData("Succession de Veuve Martin.", "Succession de Veuve [nom masqué].")]
    [InlineData("VEUVE MARTIN ; Veuve Ermeline de La Tourvelle", "VEUVE [nom masqué] ; Veuve [nom masqué]")]
    [InlineData("Ets Veuve Martin et Fils", "Ets Veuve [nom masqué] et Fils")]
    [InlineData("Contact : Veuve Quérinel", "Contact : Veuve [nom masqué]")]
    public void A_name_after_veuve_written_out_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // Not before a lower-case word (the word, not the title), nor inside a word.
    [Theory]
    [InlineData("Pension de veuve de guerre ; Veuve de guerre ; la Veuve noire, une araignée ; VEUVE 12.")]
    [InlineData("Aveuve Martin ; Veuves et orphelins")]
    public void Veuve_before_a_lower_case_word_or_inside_a_word_stays(string text) =>
        Assert.Equal(text, TextScrubber.Scrub(text));

    // PROF and MGR in capitals, read as MR and ME are: before a name word of three letters at
    // least, capitalised or in capitals, or initials.
    [Theory]
    [InlineData("RDV AVEC LE PROF CASTANHOUL (INSA)", "RDV AVEC LE PROF [nom masqué] (INSA)")]
    [InlineData("PROF. ANSELME VAN DER MIRBEEK", "PROF. [nom masqué]")]
    [InlineData("Reçu par MGR PLANTEVIGNE et MGR. Quérinel", "Reçu par MGR [nom masqué] et MGR. [nom masqué]")]
    [InlineData("PROF J.-P. CASTANHOUL", "PROF [nom masqué]")]
    public void A_name_after_prof_or_mgr_in_capitals_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // In capitals, codes and short words after them stay, as after MR and ME.
    [Theory]
    [InlineData("PROF 12 ; MGR X ; PROF AB ; MGR-4 ; PROF ET MGR ; PROFIL DUPONT ; MGRS")]
    public void Prof_and_mgr_in_capitals_before_a_code_or_a_short_word_stay(string text) =>
        Assert.Equal(text, TextScrubber.Scrub(text));

    // Mtre (maître), with or without its dot, read as Maître is.
    [Theory]
    [InlineData("Acte chez Mtre Ravanel, notaire", "Acte chez Mtre [nom masqué], notaire")]
    [InlineData("Mtre. Gontran d’Esparvelle (avocat)", "Mtre. [nom masqué] (avocat)")]
    public void A_name_after_mtre_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("Mtre de conférences ; Mtres ; Mtre 12")]
    public void Mtre_before_a_lower_case_word_or_a_number_stays(string text) =>
        Assert.Equal(text, TextScrubber.Scrub(text));

    // The plurals Drs (docteurs), Prs (professeurs), with or without their dot, and Mes. (maîtres):
    // their list of names becomes one marker, as after MM.
    [Theory]
    [InlineData("Suivi par les Drs Dupont et Martin.", "Suivi par les Drs [nom masqué].")]
    [InlineData("Drs. Oustalet, Castanhoul & Quérinel", "Drs. [nom masqué]")]
    [InlineData("Jury : Prs Anselme van der Mirbeek et Castanhoul", "Jury : Prs [nom masqué]")]
    [InlineData("Prs. Castanhoul et Martin", "Prs. [nom masqué]")]
    [InlineData("Mes. Ravanel et d’Esparvelle, notaires", "Mes. [nom masqué], notaires")]
    [InlineData("Acte chez Mes. Ravanel.", "Acte chez Mes. [nom masqué].")]
    public void A_list_of_names_after_drs_prs_or_mes_with_its_dot_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // Mes without its dot is also the possessive: read as maîtres only inside a sentence (not at the
    // start of the text, nor after '.', '!', '?', '…' or a line break), before a list of two names
    // at least (a name word of three letters at least, then ',', "et" or '&' and another).
    [Theory]
    [InlineData("Acte chez Mes Ravanel et Martin, notaires", "Acte chez Mes [nom masqué], notaires")]
    [InlineData("Successions : Mes Ravanel, Martin & Quérinel.", "Successions : Mes [nom masqué].")]
    public void A_list_of_names_after_mes_inside_a_sentence_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    [Theory]
    [InlineData("Mes Collègues et Amis sont invités.")]
    [InlineData("Merci. Mes Collègues et Amis sont invités ! Mes Voisins et Amis aussi… Mes Parents, Amis et Voisins.")]
    [InlineData("Bonjour,\nMes Collègues et Amis")]
    [InlineData("Acte chez Mes Ravanel, notaires ; Mes Ra et Ma ; mes collègues et amis ; MES AMIS ET VOISINS ; Mes 12 et 14")]
    public void Mes_the_possessive_at_a_sentence_start_or_before_a_single_name_stays(string text) =>
        Assert.Equal(text, TextScrubber.Scrub(text));

    // "m." in lower case, Monsieur typed in a hurry: before a name in lower case (as after "M.")
    // or capitalised.
    [Theory]
    [InlineData("vu avec m. dupont le 3 mai", "vu avec m. [nom masqué] le 3 mai")]
    [InlineData("vu avec m. Dupont", "vu avec m. [nom masqué]")]
    [InlineData("m. Jean-Marc de La Tourvelle, gérant", "m. [nom masqué], gérant")]
    [InlineData("RDV : m. de la tourvelle ; (m.\u00A0Quérinel)", "RDV : m. [nom masqué] ; (m.\u00A0[nom masqué])")]
    public void A_name_after_m_in_lower_case_with_its_dot_is_masked(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));

    // Not a metre after a number, nor a unit after "en", "par" or "au" (an "m." there may end a
    // sentence before a capitalised word), nor inside a word, nor a role after it, nor without its dot.
    [Theory]
    [InlineData("Poutre de 12 m. de long ; hauteur 3 m. Hauteur utile 2,5\u00A0m. Largeur 12m. Total")]
    [InlineData("Cotes exprimées en m. Prix au m. Livraison ; vendu par m. linéaire.")]
    [InlineData("comm. Dupont ; p.m. Dupont ; réf. m. ; m dupont ; m. le maire ; m. et mme")]
    public void M_in_lower_case_after_a_number_or_a_unit_word_or_inside_a_word_stays(string text) =>
        Assert.Equal(text, TextScrubber.Scrub(text));

    // After a cue, the new civilities stay as the others do (the rule of a name after a cue does
    // not take them for a name); "Mes" without its dot, PROF and MGR in capitals are taken for one,
    // as MR and ME are (README), their name being the civility rule's.
    [Theory]
    [InlineData("Contact : Drs Dupont et Martin", "Contact : Drs [nom masqué]")]
    [InlineData("Contact : Mtre Ravanel ; contact : Mes. Ravanel et Martin ; Contact : Prs Castanhoul", "Contact : Mtre [nom masqué] ; contact : Mes. [nom masqué] ; Contact : Prs [nom masqué]")]
    [InlineData("Contact : Mes Ravanel et Martin", "Contact : [nom masqué] [nom masqué]")]
    [InlineData("CONTACT : PROF CASTANHOUL", "CONTACT : [nom masqué] [nom masqué]")]
    public void After_a_cue_the_new_civilities_are_read_as_the_others(string text, string expected) =>
        Assert.Equal(expected, TextScrubber.Scrub(text));
}
