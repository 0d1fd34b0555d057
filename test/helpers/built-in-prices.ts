import { createPriceCatalogue } from '../../src/models/price-catalogue.ts';

/** The built-in price table, for tests that price or look up models outside a Hive. */
export const builtInPrices = createPriceCatalogue();
