// The meeting series form (meetings/templates/meetings/series_form.html): show only the
// questions that apply to the pattern chosen. Weekly meetings need a weekday; monthly ones
// a weekday of the month (which week and which day) or a date. Without JavaScript every
// question shows, each with a hint saying when it applies, and the server ignores the
// answers that do not apply.

const form = document.querySelector('[data-series-form] form');

function group(name) {
  const field = form.querySelector(`[name="${name}"]`);
  return field ? field.closest('.nhsuk-form-group') : null;
}

function chosen(name) {
  return form.querySelector(`[name="${name}"]:checked`)?.value ?? '';
}

function show(name, visible) {
  const wrapper = group(name);
  if (wrapper) wrapper.hidden = !visible;
}

function update() {
  const frequency = chosen('frequency');
  const monthly = frequency === 'MONTHLY';
  const onDate = monthly && chosen('monthly_on') === 'date';
  show('monthly_on', monthly);
  show('ordinal', monthly && !onDate);
  show('weekday', frequency === 'WEEKLY' || (monthly && !onDate));
  show('month_day', onDate);
}

if (form) {
  form.addEventListener('change', (event) => {
    if (['frequency', 'monthly_on'].includes(event.target.name)) update();
  });
  update();
}
