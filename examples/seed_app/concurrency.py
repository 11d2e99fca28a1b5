"""Concurrency patterns from the seed guidelines (async I/O, thread pool, FastAPI).

Verbatim from the seed, plus the imports it was missing (`logging`, `Optional`, `FastAPI` app).
"""
import asyncio
import logging
import aiohttp
import concurrent.futures
from typing import List, Dict, Any, Callable, Optional

from fastapi import FastAPI, Depends, HTTPException, BackgroundTasks
from sqlalchemy.ext.asyncio import AsyncSession

logger = logging.getLogger(__name__)

app = FastAPI()


# --- Async/Await for I/O-Bound Operations -------------------------------------------------

async def fetch_multiple_urls(urls: List[str]) -> List[Dict[str, Any]]:
    """
    Efficiently fetch multiple URLs concurrently.

    Args:
        urls: List of URLs to fetch.

    Returns:
        List of response data.
    """
    async with aiohttp.ClientSession() as session:
        tasks = [fetch_single_url(session, url) for url in urls]
        results = await asyncio.gather(*tasks, return_exceptions=True)

    return [result for result in results if isinstance(result, dict)]

async def fetch_single_url(session: aiohttp.ClientSession, url: str) -> Dict[str, Any]:
    """
    Fetch a single URL with error handling and timeout.

    Args:
        session: Async HTTP client session.
        url: URL to fetch data from.

    Returns:
        JSON response data as dictionary, or empty dict on error.
    """
    try:
        async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as response:
            return await response.json()
    except asyncio.TimeoutError:
        logger.warning(f"Timeout fetching {url}")
        return {}
    except Exception as e:
        logger.warning(f"Failed to fetch {url}: {e}")
        return {}

async def batch_with_concurrency_control(items: List[str]) -> List[Dict[str, Any]]:
    """
    Process items with controlled concurrency and error handling.

    Args:
        items: Items to process.

    Returns:
        List of successful results.
    """
    semaphore = asyncio.Semaphore(10)  # Limit concurrent operations

    async def process_item(item: str) -> Optional[Dict[str, Any]]:
        """
        Process a single item with timeout and error handling.

        Args:
            item: Item to process.

        Returns:
            Processed result or None if processing failed.
        """
        async with semaphore:
            try:
                return await asyncio.wait_for(
                    expensive_async_operation(item),
                    timeout=30.0
                )
            except (asyncio.TimeoutError, Exception) as e:
                logger.warning(f"Failed to process {item}: {e}")
                return None

    tasks = [process_item(item) for item in items]
    results = await asyncio.gather(*tasks, return_exceptions=True)

    return [result for result in results if isinstance(result, dict)]


# --- ThreadPoolExecutor for CPU-Bound Tasks -----------------------------------------------

def process_cpu_intensive_tasks(
    items: List[Any],
    processor: Callable[[Any], Any],
    max_workers: int = None
) -> List[Any]:
    """
    Process CPU-intensive tasks using thread pool.

    Args:
        items: Items to process.
        processor: Function to process each item.
        max_workers: Maximum number of worker threads.

    Returns:
        List of processed results.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=max_workers) as executor:
        futures = [executor.submit(processor, item) for item in items]
        results = []

        for future in concurrent.futures.as_completed(futures):
            try:
                result = future.result()
                results.append(result)
            except Exception as e:
                logger.error(f"Task failed: {e}")

    return results


# --- FastAPI Async Patterns ---------------------------------------------------------------

@app.get("/users/{user_id}")
async def get_user(
    user_id: int,
    db: AsyncSession = Depends(get_async_db)
) -> UserResponse:
    """
    Efficiently retrieve a user with async database operation.

    Args:
        user_id: The user's unique identifier.
        db: Async database session.

    Returns:
        User data.

    Raises:
        HTTPException: If user is not found.
    """
    user = await get_user_by_id(db, user_id)
    if not user:
        raise HTTPException(status_code=404, detail="User not found")
    return UserResponse.from_orm(user)

@app.post("/users/batch")
async def create_users_batch(
    users_data: List[UserCreate],
    background_tasks: BackgroundTasks,
    db: AsyncSession = Depends(get_async_db)
) -> List[UserResponse]:
    """
    Create multiple users concurrently with background processing.

    Args:
        users_data: List of user creation data.
        background_tasks: Background task manager.
        db: Async database session.

    Returns:
        List of created users.
    """
    # Create users concurrently
    tasks = [create_user(db, user_data) for user_data in users_data]
    users = await asyncio.gather(*tasks)

    # Schedule background tasks (email notifications, etc.)
    for user in users:
        background_tasks.add_task(send_welcome_email, user.email)

    return [UserResponse.from_orm(user) for user in users]

async def mixed_async_sync_processing(user_id: int) -> Dict[str, Any]:
    """
    Example of efficiently mixing async I/O and sync calculations.

    Args:
        user_id: User identifier.

    Returns:
        Processed user data.
    """
    # Async I/O operation
    user_data = await fetch_user_data(user_id)

    # Sync data transformation (don't make this async)
    formatted_name = f"{user_data['first_name']} {user_data['last_name']}".title()
    calculated_score = calculate_user_score(user_data)  # CPU-intensive, keep sync

    return {
        **user_data,
        "formatted_name": formatted_name,
        "score": calculated_score
    }
