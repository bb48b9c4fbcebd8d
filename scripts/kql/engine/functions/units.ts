// Unit conversion functions: convert_length, convert_mass, convert_speed, convert_volume,
// convert_energy, convert_angle, convert_area, convert_force, convert_temperature.
// Factors are each unit's size in the family's base unit (UnitsNet's definitions, which
// Kusto uses); an unknown unit name gives null.

import { toNumber } from "./coerce";
import { defineScalar } from "./registry";
import { str } from "./strings";

const INCH = 0.0254;
const FOOT = 0.3048;
const MILE = 1609.344;
const LIGHT_YEAR = 9460730472580800;
const PARSEC = 3.08567758128e16;

const LENGTH: Record<string, number> = {
  Angstrom: 1e-10,
  AstronomicalUnit: 1.495978707e11,
  Centimeter: 0.01,
  Chain: 20.1168,
  DataMile: 1828.8,
  Decameter: 10,
  Decimeter: 0.1,
  DtpPica: INCH / 6,
  DtpPoint: INCH / 72,
  Fathom: 1.8288,
  Foot: FOOT,
  Hand: 0.1016,
  Hectometer: 100,
  Inch: INCH,
  KilolightYear: LIGHT_YEAR * 1e3,
  Kilometer: 1000,
  Kiloparsec: PARSEC * 1e3,
  LightYear: LIGHT_YEAR,
  MegalightYear: LIGHT_YEAR * 1e6,
  Megaparsec: PARSEC * 1e6,
  Meter: 1,
  Microinch: INCH * 1e-6,
  Micrometer: 1e-6,
  Mil: INCH * 1e-3,
  Mile: MILE,
  Millimeter: 1e-3,
  Nanometer: 1e-9,
  NauticalMile: 1852,
  Parsec: PARSEC,
  PrinterPica: INCH / 6.0225,
  PrinterPoint: INCH / 72.27,
  Shackle: 27.432,
  SolarRadius: 6.9551e8,
  Twip: INCH / 1440,
  UsSurveyFoot: 1200 / 3937,
  Yard: 0.9144,
};

const POUND = 0.45359237;
const MASS: Record<string, number> = {
  Centigram: 1e-5,
  Decagram: 1e-2,
  Decigram: 1e-4,
  EarthMass: 5.9722e24,
  Grain: POUND / 7000,
  Gram: 1e-3,
  Hectogram: 0.1,
  Kilogram: 1,
  Kilopound: POUND * 1e3,
  Kilotonne: 1e6,
  LongHundredweight: POUND * 112,
  LongTon: POUND * 2240,
  Megapound: POUND * 1e6,
  Megatonne: 1e9,
  Microgram: 1e-9,
  Milligram: 1e-6,
  Nanogram: 1e-12,
  Ounce: POUND / 16,
  Pound: POUND,
  ShortHundredweight: POUND * 100,
  ShortTon: POUND * 2000,
  Slug: 14.593902937206364,
  SolarMass: 1.98947e30,
  Stone: POUND * 14,
  Tonne: 1000,
};

const SPEED: Record<string, number> = {
  CentimeterPerHour: 0.01 / 3600,
  CentimeterPerMinute: 0.01 / 60,
  CentimeterPerSecond: 0.01,
  DecimeterPerMinute: 0.1 / 60,
  DecimeterPerSecond: 0.1,
  FootPerHour: FOOT / 3600,
  FootPerMinute: FOOT / 60,
  FootPerSecond: FOOT,
  InchPerHour: INCH / 3600,
  InchPerMinute: INCH / 60,
  InchPerSecond: INCH,
  KilometerPerHour: 1000 / 3600,
  KilometerPerMinute: 1000 / 60,
  KilometerPerSecond: 1000,
  Knot: 1852 / 3600,
  MeterPerHour: 1 / 3600,
  MeterPerMinute: 1 / 60,
  MeterPerSecond: 1,
  MicrometerPerMinute: 1e-6 / 60,
  MicrometerPerSecond: 1e-6,
  MilePerHour: MILE / 3600,
  MillimeterPerHour: 1e-3 / 3600,
  MillimeterPerMinute: 1e-3 / 60,
  MillimeterPerSecond: 1e-3,
  NanometerPerMinute: 1e-9 / 60,
  NanometerPerSecond: 1e-9,
  UsSurveyFootPerHour: 1200 / 3937 / 3600,
  UsSurveyFootPerMinute: 1200 / 3937 / 60,
  UsSurveyFootPerSecond: 1200 / 3937,
  YardPerHour: 0.9144 / 3600,
  YardPerMinute: 0.9144 / 60,
  YardPerSecond: 0.9144,
};

const US_GALLON = 0.003785411784;
const IMP_GALLON = 0.00454609;
const VOLUME: Record<string, number> = {
  // UnitsNet defines the acre-foot through this rounded reciprocal; Kusto inherits it.
  AcreFoot: 1 / 0.000810714,
  AuTablespoon: 2e-5,
  Centiliter: 1e-5,
  CubicCentimeter: 1e-6,
  CubicDecimeter: 1e-3,
  CubicFoot: FOOT ** 3,
  CubicInch: INCH ** 3,
  CubicKilometer: 1e9,
  CubicMeter: 1,
  CubicMicrometer: 1e-18,
  CubicMile: MILE ** 3,
  CubicMillimeter: 1e-9,
  CubicYard: 0.9144 ** 3,
  Deciliter: 1e-4,
  HectocubicMeter: 100,
  Hectoliter: 0.1,
  ImperialBeerBarrel: 0.16365924,
  ImperialGallon: IMP_GALLON,
  ImperialOunce: IMP_GALLON / 160,
  ImperialPint: IMP_GALLON / 8,
  KilocubicMeter: 1000,
  Kiloliter: 1,
  Liter: 1e-3,
  MegacubicMeter: 1e6,
  Megaliter: 1000,
  Microliter: 1e-9,
  Milliliter: 1e-6,
  OilBarrel: 0.158987294928,
  UsBeerBarrel: 0.1173477658,
  UsGallon: US_GALLON,
  UsOunce: US_GALLON / 128,
  UsPint: US_GALLON / 8,
  UsQuart: US_GALLON / 4,
  UsTablespoon: US_GALLON / 256,
  UsTeaspoon: US_GALLON / 768,
};

const BTU = 1055.05585262;
const ENERGY: Record<string, number> = {
  BritishThermalUnit: BTU,
  Calorie: 4.184,
  DecathermEc: 1.05505585262e9,
  DecathermImperial: 1.05505585257348e9,
  DecathermUs: 1.054804e9,
  ElectronVolt: 1.602176565e-19,
  Erg: 1e-7,
  FootPound: 1.355817948,
  GigabritishThermalUnit: BTU * 1e9,
  GigaelectronVolt: 1.602176565e-10,
  Gigajoule: 1e9,
  GigawattDay: 1e9 * 86400,
  GigawattHour: 3.6e12,
  HorsepowerHour: 2.6845195377e6,
  Joule: 1,
  KilobritishThermalUnit: BTU * 1e3,
  Kilocalorie: 4184,
  KiloelectronVolt: 1.602176565e-16,
  Kilojoule: 1e3,
  KilowattDay: 8.64e7,
  KilowattHour: 3.6e6,
  MegabritishThermalUnit: BTU * 1e6,
  Megacalorie: 4.184e6,
  MegaelectronVolt: 1.602176565e-13,
  Megajoule: 1e6,
  MegawattDay: 8.64e10,
  MegawattHour: 3.6e9,
  Millijoule: 1e-3,
  TeraelectronVolt: 1.602176565e-7,
  TerawattDay: 8.64e16,
  TerawattHour: 3.6e15,
  ThermEc: 1.05505585262e8,
  ThermImperial: 1.05505585257348e8,
  ThermUs: 1.054804e8,
  WattDay: 86400,
  WattHour: 3600,
};

const ANGLE: Record<string, number> = {
  Arcminute: 1 / 60,
  Arcsecond: 1 / 3600,
  Centiradian: 0.01 * (180 / Math.PI),
  Deciradian: 0.1 * (180 / Math.PI),
  Degree: 1,
  Gradian: 0.9,
  Microdegree: 1e-6,
  Microradian: 1e-6 * (180 / Math.PI),
  Millidegree: 1e-3,
  Milliradian: 1e-3 * (180 / Math.PI),
  Nanodegree: 1e-9,
  Nanoradian: 1e-9 * (180 / Math.PI),
  NatoMil: 360 / 6400,
  Radian: 180 / Math.PI,
  Revolution: 360,
};

const AREA: Record<string, number> = {
  Acre: 4046.8564224,
  Hectare: 1e4,
  SquareCentimeter: 1e-4,
  SquareDecimeter: 1e-2,
  SquareFoot: FOOT ** 2,
  SquareInch: INCH ** 2,
  SquareKilometer: 1e6,
  SquareMeter: 1,
  SquareMicrometer: 1e-12,
  SquareMile: MILE ** 2,
  SquareMillimeter: 1e-6,
  SquareNauticalMile: 1852 ** 2,
  SquareYard: 0.9144 ** 2,
  UsSurveySquareFoot: (1200 / 3937) ** 2,
};

const FORCE: Record<string, number> = {
  Decanewton: 10,
  Dyn: 1e-5,
  KilogramForce: 9.80665,
  Kilonewton: 1e3,
  KiloPond: 9.80665,
  KilopoundForce: 4448.2216152605,
  Meganewton: 1e6,
  Micronewton: 1e-6,
  Millinewton: 1e-3,
  Newton: 1,
  OunceForce: 0.2780138509537812,
  Poundal: 0.138254954376,
  PoundForce: 4.4482216152605,
  ShortTonForce: 8896.443230521,
  TonneForce: 9806.65,
};

function byName(table: Record<string, number>): Map<string, number> {
  return new Map(Object.entries(table).map(([k, v]) => [k.toLowerCase(), v]));
}

function converter(name: string, table: Record<string, number>): void {
  const units = byName(table);
  defineScalar({
    name,
    minArgs: 3,
    maxArgs: 3,
    impl: (args, ctx) => {
      const v = toNumber(args[0]);
      const from = units.get(str(args, ctx, 1).toLowerCase());
      const to = units.get(str(args, ctx, 2).toLowerCase());
      if (v === null || from === undefined || to === undefined) return null;
      return (v * from) / to;
    },
  });
}

converter("convert_length", LENGTH);
converter("convert_mass", MASS);
converter("convert_speed", SPEED);
converter("convert_volume", VOLUME);
converter("convert_energy", ENERGY);
converter("convert_angle", ANGLE);
converter("convert_area", AREA);
converter("convert_force", FORCE);

/** Temperatures are affine: each unit maps to kelvin by scale and offset. */
const TEMPERATURE: Record<string, [number, number]> = {
  degreecelsius: [1, 273.15],
  degreedelisle: [-2 / 3, 373.15],
  degreefahrenheit: [5 / 9, 459.67 * (5 / 9)],
  degreenewton: [100 / 33, 273.15],
  degreerankine: [5 / 9, 0],
  degreereaumur: [5 / 4, 273.15],
  degreeroemer: [40 / 21, 273.15 - 7.5 * (40 / 21)],
  kelvin: [1, 0],
  millidegreecelsius: [1e-3, 273.15],
  solartemperature: [5778, 0],
};

defineScalar({
  name: "convert_temperature",
  minArgs: 3,
  maxArgs: 3,
  impl: (args, ctx) => {
    const v = toNumber(args[0]);
    const from = TEMPERATURE[str(args, ctx, 1).toLowerCase()];
    const to = TEMPERATURE[str(args, ctx, 2).toLowerCase()];
    if (v === null || !from || !to) return null;
    const kelvin = v * from[0] + from[1];
    return (kelvin - to[1]) / to[0];
  },
});
