// Every rule, in code order. A new rule is a module rules/<CODE>.ts with its test beside it, listed here.
import type { Rule } from '../types';
import { DL3000 } from './DL3000';
import { DL3002 } from './DL3002';
import { DL3003 } from './DL3003';
import { DL3004 } from './DL3004';
import { DL3006 } from './DL3006';
import { DL3007 } from './DL3007';
import { DL3008 } from './DL3008';
import { DL3009 } from './DL3009';
import { DL3013 } from './DL3013';
import { DL3014 } from './DL3014';
import { DL3015 } from './DL3015';
import { DL3016 } from './DL3016';
import { DL3020 } from './DL3020';
import { DL3025 } from './DL3025';
import { DL3026 } from './DL3026';
import { DL3042 } from './DL3042';
import { DL3045 } from './DL3045';
import { DL3046 } from './DL3046';
import { DL3059 } from './DL3059';
import { DL3064 } from './DL3064';
import { DL4000 } from './DL4000';
import { DL4001 } from './DL4001';
import { DL4003 } from './DL4003';
import { DL4004 } from './DL4004';
import { DL4006 } from './DL4006';
import { IL0001 } from './IL0001';
import { IL0002 } from './IL0002';
import { IL0003 } from './IL0003';
import { IL0004 } from './IL0004';
import { IL0005 } from './IL0005';
import { IL0006 } from './IL0006';
import { IL0007 } from './IL0007';
import { IL0010 } from './IL0010';
import { IL1001 } from './IL1001';
import { IL1002 } from './IL1002';
import { IL1003 } from './IL1003';
import { IL1004 } from './IL1004';
import { IL1005 } from './IL1005';
import { IL1006 } from './IL1006';
import { IL1007 } from './IL1007';
import { IL1008 } from './IL1008';
import { IL1009 } from './IL1009';
import { IL1010 } from './IL1010';

export const RULES: readonly Rule[] = [
  DL3000,
  DL3002,
  DL3003,
  DL3004,
  DL3006,
  DL3007,
  DL3008,
  DL3009,
  DL3013,
  DL3014,
  DL3015,
  DL3016,
  DL3020,
  DL3025,
  DL3026,
  DL3042,
  DL3045,
  DL3046,
  DL3059,
  DL3064,
  DL4000,
  DL4001,
  DL4003,
  DL4004,
  DL4006,
  IL0001,
  IL0002,
  IL0003,
  IL0004,
  IL0005,
  IL0006,
  IL0007,
  IL0010,
  IL1001,
  IL1002,
  IL1003,
  IL1004,
  IL1005,
  IL1006,
  IL1007,
  IL1008,
  IL1009,
  IL1010,
];

export const ruleByCode = new Map(RULES.map((rule) => [rule.code, rule]));
