/**
 * Key locations (重点部位) for the demo county: stations, hotels, residential compounds, enterprises,
 * schools, markets, hospitals, crowded places and others, dense in the county seat and the town
 * centres, sparse in the fields. Each lies near the centre of a lattice cell, well inside that
 * cell's grid, so its gridId is right by construction.
 */
import type { Random } from '../createRandom.ts';
import type { KeyLocation, LocationCategory, LonLat } from '../types.ts';
import type { Polygon } from 'geojson';
import type { CountyLayout } from './divideCounty.ts';
import { BUSINESS_STEMS, INDUSTRIES, RESIDENTIAL_STEMS, RESIDENTIAL_SUFFIXES, ROADS } from './names.ts';

interface CategoryPlan {
  count: number;
  /** Relative density per cell in the county seat, in town centres and in the countryside. */
  weights: readonly [urban: number, townCentre: number, rural: number];
  radius: readonly [number, number];
  /** Share drawn as a polygon (a compound, a campus) rather than a point. */
  polygonShare: number;
}

const PLANS: Record<LocationCategory, CategoryPlan> = {
  station: { count: 120, weights: [3, 6, 0.03], radius: [150, 300], polygonShare: 0 },
  hotel: { count: 500, weights: [10, 4, 0.08], radius: [30, 80], polygonShare: 0 },
  residential: { count: 1200, weights: [10, 3, 0.15], radius: [80, 250], polygonShare: 0.25 },
  enterprise: { count: 900, weights: [3, 3, 0.5], radius: [50, 200], polygonShare: 0.2 },
  school: { count: 500, weights: [6, 4, 0.4], radius: [60, 150], polygonShare: 0.3 },
  market: { count: 450, weights: [6, 5, 0.25], radius: [50, 150], polygonShare: 0.1 },
  hospital: { count: 250, weights: [6, 4, 0.25], radius: [60, 200], polygonShare: 0.1 },
  crowded: { count: 350, weights: [10, 4, 0.15], radius: [80, 300], polygonShare: 0.15 },
  other: { count: 730, weights: [4, 3, 0.5], radius: [30, 100], polygonShare: 0 },
};

/** County-level places, put in the county seat before the generic ones. */
const LANDMARKS: Partial<Record<LocationCategory, string[]>> = {
  station: ['沭阳站', '沭阳汽车站', '沭阳汽车南站', '沭阳汽车北站', '沭阳城市候机楼'],
  hospital: ['沭阳县人民医院', '沭阳县中医院', '沭阳县妇幼保健院', '沭阳县第二人民医院', '沭阳县精神康复医院'],
  school: ['沭阳县高级中学', '沭阳县第一中学', '沭阳县实验小学', '沭阳县职业教育中心'],
  crowded: ['沭阳文化广场', '沭阳体育馆', '虞姬公园', '沭河风光带', '沭阳步行街'],
  market: ['沭阳花木大市场', '沭阳农副产品批发市场'],
};

const ORDINALS = ['第一', '第二', '第三', '第四', '第五', '第六', '第七', '第八'] as const;

interface Place {
  township: number;
  village: number;
  urban: boolean;
}

/**
 * Places every key location; `names` gives the township short names and village names, `ids` the
 * grid and township ids, `toLonLat` turns local metres into rounded lon/lat.
 *
 * @example
 * const locations = placeLocations(random, layout, { urbanCount: 7, townshipNames, townshipShort, villageNames, gridIds, townshipIds, toLonLat });
 */
export function placeLocations(
  random: Random,
  layout: CountyLayout,
  options: {
    urbanCount: number;
    townshipNames: readonly string[];
    townshipShort: readonly string[];
    villageNames: readonly string[];
    gridIds: readonly string[];
    townshipIds: readonly string[];
    toLonLat: (x: number, y: number) => LonLat;
  },
): KeyLocation[] {
  const { lattice, township, village, grid, townshipSeat } = layout;
  const { urbanCount, townshipNames, townshipShort, villageNames, gridIds, townshipIds, toLonLat } = options;

  // Cells by density class: county seat, within 1.5 km of a town centre, countryside.
  const classes: number[][] = [[], [], []];
  for (let c = 0; c < lattice.cellCount; c++) {
    const t = township[c]!;
    if (t < 0) continue;
    if (t < urbanCount) classes[0]!.push(c);
    else {
      const seat = townshipSeat[t]!;
      const dx = lattice.centreX[c]! - lattice.centreX[seat]!;
      const dy = lattice.centreY[c]! - lattice.centreY[seat]!;
      classes[dx * dx + dy * dy < 1500 * 1500 ? 1 : 2]!.push(c);
    }
  }

  // Names are unique county-wide: draw again a few times, then say where it is.
  const usedNames = new Set<string>();
  const unique = (make: () => string, place: Place): string => {
    const claim = (name: string): string => (usedNames.add(name), name);
    let name = make();
    for (let tries = 0; tries < 8 && usedNames.has(name); tries++) name = make();
    if (!usedNames.has(name)) return claim(name);
    const inVillage = `${name}（${villageNames[place.village]}）`;
    if (!usedNames.has(inVillage)) return claim(inVillage);
    for (let n = 2; ; n++) if (!usedNames.has(`${inVillage}${n}`)) return claim(`${inVillage}${n}`);
  };

  const locations: KeyLocation[] = [];
  for (const category of Object.keys(PLANS) as LocationCategory[]) {
    const plan = PLANS[category];
    const classWeight = plan.weights.map((w, i) => w * classes[i]!.length);
    const total = classWeight.reduce((a, b) => a + b, 0);
    const landmarks = LANDMARKS[category] ?? [];
    for (let i = 0; i < plan.count; i++) {
      const isLandmark = i < landmarks.length;
      let cls = 0;
      if (!isLandmark) {
        let r = random.next() * total;
        while (r >= classWeight[cls]! && cls < 2) r -= classWeight[cls++]!;
      }
      const cell = random.pick(classes[cls]!);
      const place: Place = { township: township[cell]!, village: village[cell]!, urban: township[cell]! < urbanCount };
      // Stay within 0.4 side of the cell centre: the cell's grid owns everything within 0.55 side.
      const angle = random.between(0, 2 * Math.PI);
      const offset = Math.sqrt(random.next()) * 0.4 * lattice.side;
      const x = lattice.centreX[cell]! + offset * Math.cos(angle);
      const y = lattice.centreY[cell]! + offset * Math.sin(angle);
      const name = isLandmark ? landmarks[i]! : unique(() => nameFor(category, random, place, townshipShort, villageNames), place);
      const asPolygon = random.chance(plan.polygonShare);
      const location: KeyLocation = {
        id: '',
        name,
        category,
        priority: priorityFor(category, random, isLandmark),
        geometry: asPolygon ? footprint(random, x, y, toLonLat) : { type: 'Point', coordinates: toLonLat(x, y) },
        radius: asPolygon ? random.int(3, 5) * 10 : Math.round(random.between(plan.radius[0], plan.radius[1]) / 10) * 10,
        gridId: gridIds[grid[cell]!]!,
        townshipId: townshipIds[place.township]!,
        address: addressFor(random, place, townshipNames, villageNames),
      };
      const hours = openingHoursFor(category, random);
      if (hours) location.openingHours = hours;
      locations.push(location);
    }
  }
  locations.forEach((location, i) => (location.id = 'L' + String(i + 1).padStart(5, '0')));
  return locations;
}

/** A rotated rectangle 60–220 m by 40–160 m around (x, y), counter-clockwise. */
function footprint(random: Random, x: number, y: number, toLonLat: (x: number, y: number) => LonLat): Polygon {
  const halfW = random.between(30, 110);
  const halfH = random.between(20, 80);
  const angle = random.between(0, Math.PI);
  const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
  const corners = [
    [-halfW, -halfH],
    [halfW, -halfH],
    [halfW, halfH],
    [-halfW, halfH],
  ].map(([u, v]) => toLonLat(x + u! * cos - v! * sin, y + u! * sin + v! * cos));
  return { type: 'Polygon', coordinates: [[...corners, [...corners[0]!] as LonLat]] };
}

function nameFor(category: LocationCategory, random: Random, place: Place, townshipShort: readonly string[], villageNames: readonly string[]): string {
  const town = townshipShort[place.township]!;
  const villageName = villageNames[place.village]!;
  const business = random.pick(BUSINESS_STEMS);
  switch (category) {
    case 'station':
      return random.pick([`${town}汽车站`, `${town}客运站`, `${town}公交枢纽`, `${villageName}公交首末站`]);
    case 'hotel':
      return business + random.pick(['宾馆', '大酒店', '快捷酒店', '旅馆', '商务酒店', '假日酒店']);
    case 'residential':
      return place.urban || random.chance(0.5)
        ? random.pick(RESIDENTIAL_STEMS) + random.pick(RESIDENTIAL_SUFFIXES)
        : `${villageName.replace(/(村|社区)$/, '')}安置小区`;
    case 'enterprise':
      return random.chance(0.08) ? `${town}工业集中区` : `沭阳${business}${random.pick(INDUSTRIES)}有限公司`;
    case 'school':
      if (place.urban) return `沭阳县${random.pick(ORDINALS)}${random.pick(['实验小学', '初级中学', '幼儿园', '小学'])}`;
      return random.pick([`${town}中心小学`, `${town}初级中学`, `${town}中心幼儿园`, `${villageName.replace(/(村|社区)$/, '')}小学`]);
    case 'market':
      return random.pick([`${town}农贸市场`, `${business}超市`, `${town}花木市场`, `${business}建材市场`, `${town}集市`]);
    case 'hospital':
      return place.urban
        ? random.pick([`${business}医院`, `${business}诊所`, `沭阳${business}口腔医院`, `${town}社区卫生服务中心`])
        : random.pick([`${town}卫生院`, `${villageName}卫生室`, `${business}诊所`]);
    case 'crowded':
      return random.pick([`${business}广场`, `${business}商业街`, `${business}影城`, `${town}公园`, `${business}网吧`, `${business}购物中心`]);
    case 'other':
      return random.pick([`${business}加油站`, `${town}变电站`, `${business}物流园`, `${villageName}村部`, `${town}水厂`, `${business}快递网点`, `${town}供销社`]);
  }
}

function priorityFor(category: LocationCategory, random: Random, landmark: boolean): 1 | 2 | 3 {
  if (landmark || category === 'station') return 1;
  const r = random.next();
  switch (category) {
    case 'school':
    case 'hospital':
      return r < 0.4 ? 1 : 2;
    case 'crowded':
      return r < 0.3 ? 1 : r < 0.8 ? 2 : 3;
    case 'market':
    case 'hotel':
      return r < 0.1 ? 1 : r < 0.6 ? 2 : 3;
    default:
      return r < 0.05 ? 1 : r < 0.3 ? 2 : 3;
  }
}

function openingHoursFor(category: LocationCategory, random: Random): string | undefined {
  switch (category) {
    case 'market':
      return random.pick(['05:30-18:00', '06:00-19:00', '08:00-21:00']);
    case 'school':
      return random.pick(['07:00-17:30', '07:30-17:00']);
    case 'crowded':
      return random.pick(['09:00-22:00', '10:00-22:00', '06:00-22:00']);
    case 'enterprise':
      return random.chance(0.5) ? '08:00-18:00' : undefined;
    default:
      return undefined;
  }
}

function addressFor(random: Random, place: Place, townshipNames: readonly string[], villageNames: readonly string[]): string {
  if (place.urban) return `沭阳县${random.pick(ROADS)}${random.int(1, 399)}号`;
  return `沭阳县${townshipNames[place.township]}${villageNames[place.village]}${random.int(1, 12)}组`;
}
