// The training form, built from the defaults the module reports (the core's TrainOptions) and
// the core's named presets, so the page never carries settings of its own. Names mirror
// TrainOptions in camelCase.

const trainFields = [
  ['dimension', 'Dimension', 'vector length: larger holds more structure, trains slower', 1],
  ['window', 'Window', 'context items on each side of an item', 1],
  ['windowMode', 'Window mode', 'shrink: random window up to the size (word2vec); fixed: ' +
    'exactly the size; sequence: the whole user list, unordered; auto: shrink when the ' +
    'data has timestamps, else sequence', null],
  ['forward', 'Forward only', 'contexts only after each item: the model learns what follows',
    'checkbox'],
  ['negatives', 'Negatives', 'negative samples per pair: more sharpens rare items', 1],
  ['epochs', 'Epochs', 'passes over the data', 1],
  ['learningRate', 'Learning rate', 'start of the linear decay', 'any'],
  ['minLearningRate', 'Final learning rate', 'end of the linear decay', 'any'],
  ['subsample', 'Subsampling', 'frequent-item threshold, 0 = off', 'any'],
  ['nsExponent', 'Negative exponent', 'negatives ∝ count^exponent; 0.75 as word2vec', 'any'],
  ['seed', 'Seed', 'same seed, same data: same vectors', 1],
];

const corpusFields = [
  ['minUserInteractions', 'Min items per user', 'users with fewer items are dropped'],
  ['minItemCount', 'Min users per item', 'rarer items are dropped'],
];

// Modes the core knew when the page was written; the module's default joins them if it is new.
const knownWindowModes = ['auto', 'shrink', 'fixed', 'sequence'];

function fieldRow(container, id, label, hint, input) {
  const row = document.createElement('label');
  row.className = 'parameter';
  const name = document.createElement('span');
  name.className = 'name';
  name.textContent = label;
  const help = document.createElement('span');
  help.className = 'hint';
  help.textContent = hint;
  input.id = `option-${id}`;
  input.name = id;
  row.append(name, input, help);
  container.append(row);
}

// Float options come back as float32 widened to double (0.02500000037): show the short
// decimal that rounds to the same float.
function shortNumber(value) {
  return String(Number(Number(value).toPrecision(7)));
}

/** Puts a preset's (or the defaults') option values into the form's fields. */
export function applyOptions(container, options) {
  for (const [key, , , step] of trainFields) {
    const input = container.querySelector(`#option-${key}`);
    if (!input || !(key in options)) continue;
    if (step === 'checkbox') input.checked = Boolean(options[key]);
    else if (key === 'windowMode') input.value = options[key];
    else input.value = shortNumber(options[key]);
  }
}

function presetRow(container, presets, defaults) {
  const select = document.createElement('select');
  for (const preset of presets) {
    const option = document.createElement('option');
    option.value = preset.name;
    option.textContent = preset.name;
    option.title = preset.summary;
    select.append(option);
  }
  const hint = () => presets.find((p) => p.name === select.value)?.summary ?? '';
  fieldRow(container, 'preset', 'Preset', hint(), select);
  select.addEventListener('change', () => {
    const preset = presets.find((p) => p.name === select.value);
    if (preset) applyOptions(container, { ...defaults, ...preset.options });
    select.closest('label').querySelector('.hint').textContent = hint();
  });
  return select;
}

/**
 * Fills `container` with inputs for every option; defaults come from the module. `presets`
 * (the module's presets()) adds a selector that fills the fields; the first is chosen.
 */
export function buildParameters(container, defaults, presets = []) {
  container.replaceChildren();
  const select = presets.length ? presetRow(container, presets, defaults) : null;
  for (const [key, label, hint, step] of trainFields) {
    if (!(key in defaults)) continue;
    let input;
    if (step === 'checkbox') {
      input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = Boolean(defaults[key]);
    } else if (key === 'windowMode') {
      input = document.createElement('select');
      const modes = [...new Set([defaults.windowMode, ...knownWindowModes])];
      for (const mode of modes) {
        const option = document.createElement('option');
        option.value = mode;
        option.textContent = mode === defaults.windowMode ? `${mode} (default)` : mode;
        input.append(option);
      }
      input.value = defaults.windowMode;
    } else {
      input = document.createElement('input');
      input.type = 'number';
      input.step = String(step);
      input.value = shortNumber(defaults[key]);
      input.required = true;
    }
    fieldRow(container, key, label, hint, input);
  }
  for (const [key, label, hint] of corpusFields) {
    const input = document.createElement('input');
    input.type = 'number';
    input.step = '1';
    input.min = '1';
    input.placeholder = 'default';
    fieldRow(container, key, label, hint, input);
  }
  if (select) applyOptions(container, { ...defaults, ...presets[0].options });
}

/** The preset chosen in the form, or '' when the form has no selector. */
export function chosenPreset(container) {
  return container.querySelector('#option-preset')?.value ?? '';
}

/** The form's values: { options, corpusOptions }; empty corpus fields keep the core default. */
export function readParameters(container) {
  const options = {};
  for (const [key] of trainFields) {
    const input = container.querySelector(`#option-${key}`);
    if (!input) continue;
    if (input.type === 'checkbox') options[key] = input.checked;
    else options[key] = key === 'windowMode' ? input.value : Number(input.value);
  }
  const corpusOptions = {};
  for (const [key] of corpusFields) {
    const value = container.querySelector(`#option-${key}`).value.trim();
    if (value !== '') corpusOptions[key] = Number(value);
  }
  return { options, corpusOptions };
}
