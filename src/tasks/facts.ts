// The fixed fact tables of the lookup family. Each key is unique within its table, so every question has one
// answer; values may repeat (two fruits can both be red).

export const CAPITALS: ReadonlyArray<readonly [country: string, capital: string]> = [
  ['France', 'Paris'], ['Spain', 'Madrid'], ['Italy', 'Rome'], ['Germany', 'Berlin'], ['Japan', 'Tokyo'],
  ['China', 'Beijing'], ['Egypt', 'Cairo'], ['Peru', 'Lima'], ['Kenya', 'Nairobi'], ['Canada', 'Ottawa'],
  ['Russia', 'Moscow'], ['Greece', 'Athens'], ['Norway', 'Oslo'], ['Sweden', 'Stockholm'], ['Finland', 'Helsinki'],
  ['Poland', 'Warsaw'], ['Austria', 'Vienna'], ['Portugal', 'Lisbon'], ['Ireland', 'Dublin'], ['Cuba', 'Havana'],
  ['Chile', 'Santiago'], ['Brazil', 'Brasilia'], ['India', 'New Delhi'], ['Thailand', 'Bangkok'],
  ['Vietnam', 'Hanoi'], ['Turkey', 'Ankara'], ['Ghana', 'Accra'], ['Nigeria', 'Abuja'], ['Morocco', 'Rabat'],
  ['Australia', 'Canberra'], ['Denmark', 'Copenhagen'], ['Hungary', 'Budapest'], ['Belgium', 'Brussels'],
  ['Switzerland', 'Bern'], ['Colombia', 'Bogota'], ['Indonesia', 'Jakarta'], ['Nepal', 'Kathmandu'],
  ['Argentina', 'Buenos Aires'], ['Mexico', 'Mexico City'], ['Scotland', 'Edinburgh'],
];

export const FOOD_COLORS: ReadonlyArray<readonly [food: string, color: string]> = [
  ['banana', 'yellow'], ['lemon', 'yellow'], ['lime', 'green'], ['cherry', 'red'], ['strawberry', 'red'],
  ['blueberry', 'blue'], ['grape', 'purple'], ['plum', 'purple'], ['carrot', 'orange'], ['pumpkin', 'orange'],
  ['tomato', 'red'], ['pea', 'green'], ['cucumber', 'green'], ['coconut', 'brown'], ['eggplant', 'purple'],
  ['corn', 'yellow'], ['broccoli', 'green'], ['raspberry', 'red'], ['chestnut', 'brown'], ['radish', 'red'],
];

export const ANIMAL_SOUNDS: ReadonlyArray<readonly [animal: string, verb: string]> = [
  ['dog', 'barks'], ['cat', 'meows'], ['cow', 'moos'], ['duck', 'quacks'], ['lion', 'roars'], ['horse', 'neighs'],
  ['pig', 'oinks'], ['owl', 'hoots'], ['bee', 'buzzes'], ['snake', 'hisses'], ['frog', 'croaks'],
  ['mouse', 'squeaks'], ['wolf', 'howls'], ['rooster', 'crows'], ['donkey', 'brays'], ['sheep', 'bleats'],
  ['crow', 'caws'], ['dove', 'coos'], ['elephant', 'trumpets'], ['bird', 'chirps'],
];

export const ANIMAL_BABIES: ReadonlyArray<readonly [animal: string, baby: string]> = [
  ['cat', 'kitten'], ['dog', 'puppy'], ['cow', 'calf'], ['sheep', 'lamb'], ['horse', 'foal'], ['duck', 'duckling'],
  ['frog', 'tadpole'], ['bear', 'cub'], ['lion', 'cub'], ['goat', 'kid'], ['pig', 'piglet'], ['kangaroo', 'joey'],
  ['swan', 'cygnet'], ['owl', 'owlet'], ['hen', 'chick'], ['deer', 'fawn'], ['goose', 'gosling'],
  ['eagle', 'eaglet'], ['butterfly', 'caterpillar'], ['whale', 'calf'],
];

export const ANIMAL_HOMES: ReadonlyArray<readonly [animal: string, home: string]> = [
  ['bee', 'hive'], ['bird', 'nest'], ['spider', 'web'], ['rabbit', 'burrow'], ['horse', 'stable'], ['pig', 'sty'],
  ['dog', 'kennel'], ['fox', 'den'], ['bear', 'cave'], ['ant', 'hill'], ['fish', 'pond'], ['cow', 'barn'],
  ['hen', 'coop'], ['owl', 'tree'], ['beaver', 'lodge'], ['mole', 'tunnel'],
];

export const OPPOSITES: ReadonlyArray<readonly [word: string, opposite: string]> = [
  ['hot', 'cold'], ['big', 'small'], ['up', 'down'], ['fast', 'slow'], ['happy', 'sad'], ['light', 'dark'],
  ['open', 'closed'], ['early', 'late'], ['full', 'empty'], ['wet', 'dry'], ['new', 'old'], ['hard', 'soft'],
  ['loud', 'quiet'], ['day', 'night'], ['tall', 'short'], ['thick', 'thin'], ['strong', 'weak'],
  ['heavy', 'light'], ['clean', 'dirty'], ['high', 'low'], ['near', 'far'], ['first', 'last'], ['push', 'pull'],
  ['give', 'take'], ['buy', 'sell'], ['inside', 'outside'], ['above', 'below'], ['left', 'right'],
  ['before', 'after'], ['start', 'finish'], ['win', 'lose'], ['rich', 'poor'], ['young', 'old'], ['good', 'bad'],
  ['yes', 'no'], ['always', 'never'], ['sweet', 'sour'], ['brave', 'afraid'], ['friend', 'enemy'], ['north', 'south'],
];
