import { Pipe, PipeTransform } from '@angular/core';

// Building an Intl.NumberFormat is far costlier than using one: one per currency for the whole app.
const formats = new Map<string, Intl.NumberFormat>();

function formatFor(currency: string): Intl.NumberFormat {
  let format = formats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency,
      // Billing counts every currency in hundredths, so two decimals never hide a cent (the
      // default for currencies such as JPY would round them away).
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    formats.set(currency, format);
  }
  return format;
}

/**
 * Formats integer cents, as billing sends them, in the invoice's ISO 4217 currency (USD when
 * none is given): 123450 -> "$1,234.50", (123450, 'EUR') -> "€1,234.50".
 */
@Pipe({ name: 'cents' })
export class CentsPipe implements PipeTransform {
  transform(cents: number, currency = 'USD'): string {
    return formatFor(currency).format(cents / 100);
  }
}
