// The places of the story family: where a story happens, and the sentences that describe it (present tense for
// "Describe a quiet village.", past tense for the stories).

export interface Place {
  name: string;
  at: string; // "in the forest"
  adjectives: readonly string[]; // for "Describe a quiet village."
  features: readonly string[]; // present-tense sentences about what one sees, hears or smells there
  scenes: readonly string[]; // past-tense sentences for the stories
  activities: readonly string[]; // "walk under the trees"
}

export const PLACES: readonly Place[] = [
  {
    name: 'forest',
    at: 'in the forest',
    adjectives: ['green', 'quiet', 'dark', 'old'],
    features: [
      'Tall trees grow close together, and their leaves make a green roof.',
      'Birds sing from the high branches.',
      'The air smells of pine and wet moss.',
      'A narrow path winds between the old trees.',
      'Sunlight falls through the leaves in bright spots.',
      'Mushrooms grow at the foot of the trees.',
    ],
    scenes: [
      'The trees were tall, and birds sang in the branches.',
      'The air smelled of pine and wet moss.',
      'A narrow path wound between the old trees.',
    ],
    activities: ['walk under the trees', 'look for berries', 'listen to the birds'],
  },
  {
    name: 'village',
    at: 'in the village',
    adjectives: ['small', 'quiet', 'busy', 'old'],
    features: [
      'Little houses with red roofs stand along a stone road.',
      'Children play in the square near the well.',
      'The baker opens the shop early, and the street smells of bread.',
      'Flowers grow in boxes under every window.',
      'In the evening, warm lights shine in the windows.',
      'An old bell rings from the tower at noon.',
    ],
    scenes: [
      'The little houses had red roofs and flowers in the windows.',
      'The street smelled of fresh bread from the baker.',
      'Children played in the square near the well.',
    ],
    activities: ['walk to the market', 'visit the baker', 'play in the square'],
  },
  {
    name: 'meadow',
    at: 'in the meadow',
    adjectives: ['green', 'sunny', 'wide', 'quiet'],
    features: [
      'Soft grass covers the ground as far as you can see.',
      'Yellow and white flowers grow everywhere.',
      'Bees buzz from flower to flower.',
      'A small stream runs along the edge.',
      'Butterflies dance in the warm air.',
      'The wind makes the grass move like waves.',
    ],
    scenes: [
      'The grass was soft, and yellow flowers grew everywhere.',
      'Bees buzzed from flower to flower.',
      'Butterflies danced in the warm air.',
    ],
    activities: ['pick flowers', 'chase butterflies', 'watch the clouds'],
  },
  {
    name: 'mountains',
    at: 'in the mountains',
    adjectives: ['high', 'cold', 'rocky', 'quiet'],
    features: [
      'Snow covers the tops of the mountains all year.',
      'The wind is cold and the air is clear.',
      'Goats climb the steep rocks with ease.',
      'From the top, you can see the whole valley below.',
      'A cold stream falls over the rocks.',
      'Eagles fly in circles high above.',
    ],
    scenes: [
      'The tops of the mountains were white with snow.',
      'The wind was cold, and the air was clear.',
      'Eagles flew in circles high above.',
    ],
    activities: ['climb the rocks', 'watch the eagles', 'look at the valley below'],
  },
  {
    name: 'sea',
    at: 'by the sea',
    adjectives: ['blue', 'calm', 'wild', 'wide'],
    features: [
      'Waves roll onto the sand and back again.',
      'Gulls cry above the water.',
      'The air smells of salt.',
      'Small boats rock gently in the harbor.',
      'Shells and smooth stones lie on the beach.',
      'At night, the moon shines on the water.',
    ],
    scenes: [
      'Waves rolled onto the sand and back again.',
      'Gulls cried above the water.',
      'Small boats rocked gently in the harbor.',
    ],
    activities: ['collect shells', 'watch the boats', 'swim in the waves'],
  },
  {
    name: 'desert',
    at: 'in the desert',
    adjectives: ['hot', 'dry', 'wide', 'quiet'],
    features: [
      'Golden sand stretches in every direction.',
      'The sun is hot during the day, but the nights are cold.',
      'A few green plants grow near a small pool of water.',
      'The wind moves the sand into tall hills.',
      'At night, the sky is full of stars.',
      'Camels walk slowly across the sand.',
    ],
    scenes: [
      'Golden sand stretched in every direction.',
      'The sun was hot, and the sand was dry.',
      'At night, the sky was full of stars.',
    ],
    activities: ['look for water', 'watch the stars', 'walk over the sand hills'],
  },
  {
    name: 'city',
    at: 'in the city',
    adjectives: ['big', 'busy', 'loud', 'bright'],
    features: [
      'Tall buildings rise high into the sky.',
      'Cars and buses move along the wide streets.',
      'People hurry along the busy streets.',
      'There are shops, cafes and a big park.',
      'At night, the lights of the city shine like stars.',
      'A train rushes past the station every few minutes.',
    ],
    scenes: [
      'Tall buildings rose high into the sky.',
      'Cars and buses moved along the busy streets.',
      'At night, the lights shone like stars.',
    ],
    activities: ['ride the bus', 'visit the park', 'look at the shops'],
  },
  {
    name: 'garden',
    at: 'in the garden',
    adjectives: ['green', 'quiet', 'small', 'sunny'],
    features: [
      'Roses and tulips grow in neat rows.',
      'A small pond sits in the middle, with fish in it.',
      'Bees and butterflies visit the flowers.',
      'There is a wooden bench under an apple tree.',
      'Tomatoes and beans grow near the fence.',
      'Birds drink from a little stone bowl.',
    ],
    scenes: [
      'Roses and tulips grew in neat rows.',
      'Bees and butterflies visited the flowers.',
      'A small pond sat in the middle, with fish in it.',
    ],
    activities: ['water the flowers', 'sit by the pond', 'pick apples'],
  },
  {
    name: 'farm',
    at: 'on the farm',
    adjectives: ['busy', 'big', 'quiet', 'old'],
    features: [
      'A big red barn stands next to the fields.',
      'Cows and sheep eat grass in the fields.',
      'Chickens run around the yard.',
      'The farmer drives a tractor in the morning.',
      'Corn and wheat grow in long rows.',
      'The air smells of fresh hay.',
    ],
    scenes: [
      'A big red barn stood next to the fields.',
      'Cows and sheep ate grass in the fields.',
      'Chickens ran around the yard.',
    ],
    activities: ['feed the chickens', 'play in the hay', 'help in the fields'],
  },
  {
    name: 'island',
    at: 'on the island',
    adjectives: ['small', 'green', 'sunny', 'quiet'],
    features: [
      'Palm trees grow along the white beach.',
      'The water around it is clear and blue.',
      'Colorful fish swim near the rocks.',
      'A small hill rises in the middle.',
      'The only sounds are the waves and the birds.',
      'Coconuts fall from the trees.',
    ],
    scenes: [
      'Palm trees grew along the white beach.',
      'The water was clear and blue.',
      'Colorful fish swam near the rocks.',
    ],
    activities: ['swim in the sea', 'look for crabs', 'climb the hill'],
  },
  {
    name: 'castle',
    at: 'in the castle',
    adjectives: ['old', 'big', 'dark', 'grand'],
    features: [
      'Thick stone walls stand all around it.',
      'Tall towers rise at each corner.',
      'Flags wave from the roof.',
      'A wide bridge crosses the water in front of the gate.',
      'Inside, the halls are long and cold.',
      'Old pictures of kings hang on the walls.',
    ],
    scenes: [
      'Thick stone walls stood all around it.',
      'Flags waved from the tall towers.',
      'Inside, the halls were long and cold.',
    ],
    activities: ['explore the towers', 'walk in the great hall', 'look out from the walls'],
  },
  {
    name: 'river',
    at: 'by the river',
    adjectives: ['wide', 'calm', 'quiet', 'cold'],
    features: [
      'The water moves slowly past the green banks.',
      'Ducks swim near the reeds.',
      'An old wooden bridge crosses the water.',
      'Fish jump out of the water now and then.',
      'Willow trees hang over the water.',
      'The river sparkles in the sun.',
    ],
    scenes: [
      'The water moved slowly past the green banks.',
      'Ducks swam near the reeds.',
      'An old wooden bridge crossed the water.',
    ],
    activities: ['watch the ducks', 'sit on the bridge', 'throw stones into the water'],
  },
];
