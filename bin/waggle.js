#!/usr/bin/env node
import { main } from '../dist/waggle.mjs';

process.exitCode = await main(process.argv);
