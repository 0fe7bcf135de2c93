/** The mode routing lives in src-shared (the workbench's form shows the routed mode as the question is typed): one table for both. */
export { routeMode, scoreUnit } from '../../../src-shared/investigation-route';
