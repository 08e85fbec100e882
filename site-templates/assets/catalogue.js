// Client-side search and format filter of the catalogue. Without JavaScript the form stays
// hidden and every dataset is listed.
(function () {
  'use strict';
  var form = document.getElementById('filtres');
  var list = document.getElementById('jeux');
  if (!form || !list) { return; }
  var query = document.getElementById('recherche');
  var format = document.getElementById('format');
  var status = document.getElementById('resultats');
  var cards = Array.prototype.slice.call(list.querySelectorAll('.card'));
  var fold = function (text) {
    return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
  };
  var apply = function () {
    var words = fold(query.value).split(/\s+/).filter(function (w) { return w.length > 0; });
    var wanted = format.value;
    var shown = 0;
    cards.forEach(function (card) {
      var text = fold(card.textContent);
      var formats = (card.getAttribute('data-formats') || '').split(' ');
      var visible = words.every(function (w) { return text.indexOf(w) >= 0; }) &&
        (wanted === '' || formats.indexOf(wanted) >= 0);
      card.hidden = !visible;
      if (visible) { shown += 1; }
    });
    status.textContent = shown === cards.length
      ? cards.length + ' jeu(x) de données'
      : shown + ' jeu(x) sur ' + cards.length;
  };
  form.hidden = false;
  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
  query.addEventListener('input', apply);
  format.addEventListener('change', apply);
  apply();
}());
