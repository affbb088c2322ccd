// The meeting series form (meetings/templates/meetings/series_form.html): show only the
// questions that apply to the pattern chosen. Weekly meetings need a weekday; monthly ones
// a weekday of the month (which week and which day) or a date. Without JavaScript every
// question shows, each with a hint saying when it applies, and the server ignores the
// answers that do not apply.
//
// As the pattern is answered, the next dates it makes show under the start time (the
// server works them out: the same "Show the next dates" post, asked for as JSON), in a
// polite live region. Without JavaScript the "Show the next dates" button does the same.

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

const PREVIEW_DELAY_MS = 400;
let live = null;
let waiting = null;
let asked = 0;

function liveRegion() {
  if (live) return live;
  live = document.createElement('div');
  live.id = 'next-dates-live';
  live.className = 'nhsuk-inset-text';
  live.setAttribute('aria-live', 'polite');
  live.hidden = true;
  const anchor = group('start_time');
  if (anchor) anchor.after(live);
  return live;
}

async function preview() {
  if (!chosen('frequency')) return;
  const mine = ++asked; // a slower earlier answer never overwrites a later one
  const body = new FormData(form);
  body.set('preview', 'live');
  let answer;
  try {
    const response = await fetch(form.action, {
      method: 'POST',
      body,
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (!response.ok) return;
    answer = await response.json();
  } catch {
    return; // the "Show the next dates" button still works
  }
  if (mine !== asked) return;
  const region = liveRegion();
  region.replaceChildren();
  if (!answer.ok) {
    region.hidden = !answer.message;
    if (answer.message) {
      const text = document.createElement('p');
      text.textContent = `No dates yet: ${answer.message}`;
      region.append(text);
    }
    return;
  }
  const heading = document.createElement('p');
  heading.textContent = answer.message;
  const list = document.createElement('ul');
  list.className = 'nhsuk-list nhsuk-list--bullet';
  for (const day of answer.dates) {
    const item = document.createElement('li');
    item.textContent = day;
    list.append(item);
  }
  region.append(heading, list);
  region.hidden = false;
}

function schedulePreview() {
  window.clearTimeout(waiting);
  waiting = window.setTimeout(preview, PREVIEW_DELAY_MS);
}

if (form) {
  form.addEventListener('change', (event) => {
    if (['frequency', 'monthly_on'].includes(event.target.name)) update();
    schedulePreview();
  });
  form.addEventListener('input', schedulePreview);
  update();
  schedulePreview();
}
