import type { DefaultSession } from 'next-auth';

declare module 'next-auth' {
  interface Session {
    user: { id: string; role: 'customer' | 'support' | 'admin' } & DefaultSession['user'];
  }
  interface User {
    role?: 'customer' | 'support' | 'admin';
  }
}
