import { Pipe, PipeTransform } from '@angular/core';

// One formatter for the whole app: building an Intl.NumberFormat is far costlier than using one.
const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

/** Formats integer cents, as billing sends them, for display: 123450 -> "$1,234.50". */
@Pipe({ name: 'cents' })
export class CentsPipe implements PipeTransform {
  transform(cents: number): string {
    return dollars.format(cents / 100);
  }
}
